namespace LiveClassroom.Server.Rooms;

/// <summary>
/// Who belongs to a live class by its pairing: the lead teacher, the lead classroom (and its school) and the
/// paired rural classrooms with their schools. Everything the role matrix needs, nothing else.
/// </summary>
public sealed record ClassParties(
    Guid? LeadTeacherId,
    Guid LeadSchoolId,
    Guid LeadClassroomId,
    IReadOnlyList<PairedClassroom> RuralClassrooms);
