namespace LiveClassroom.Grains.Classroom;

/// <summary>One classroom in the class: its tile, presence, stage/hand/mute status and attendance; its school's name when known.</summary>
[GenerateSerializer, Immutable, Alias("lc.ClassroomView")]
public sealed record ClassroomView(
    string ClassroomId,
    string Name,
    bool IsLead,
    int Tile,
    bool Present,
    int? HandPosition,
    int? StageSeat,
    bool MutedByLead,
    Attendance Attendance,
    string? SchoolName = null);
