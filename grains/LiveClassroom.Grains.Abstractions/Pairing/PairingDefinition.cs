namespace LiveClassroom.Grains.Pairing;

/// <summary>A 1+N pairing: the lead classroom and teacher, the rural classrooms, and the course (subject, grade, 教材版本).</summary>
[GenerateSerializer, Immutable, Alias("lc.PairingDefinition")]
public sealed record PairingDefinition(
    string Name,
    ClassroomRef LeadClassroom,
    PersonRef LeadTeacher,
    IReadOnlyList<ClassroomRef> RuralClassrooms,
    string Subject,
    string Grade,
    string TextbookEdition);
