using LiveClassroom.Grains.Pairing;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// What a class is: its lead teacher and lead classroom and the rural classrooms that may join. Tiles follow this
/// order: the lead classroom is tile 0, rural classrooms 1..N.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ClassSetup")]
public sealed record ClassSetup(
    string Title,
    PersonRef LeadTeacher,
    ClassroomRef LeadClassroom,
    IReadOnlyList<ClassroomRef> RuralClassrooms,
    DateTimeOffset? ScheduledStart = null,
    int DurationMinutes = 45,
    string? PairingId = null,
    string? LessonId = null,
    int MaxOnStage = 4);
