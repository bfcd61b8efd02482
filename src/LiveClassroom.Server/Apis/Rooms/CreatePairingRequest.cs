namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>Body of <c>POST /api/pairings</c>.</summary>
public sealed record CreatePairingRequest(
    string? Name,
    Guid? LeadClassroomId,
    Guid? LeadTeacherId,
    IReadOnlyList<Guid>? RuralClassroomIds,
    string? Subject,
    string? Grade,
    string? TextbookEdition);
