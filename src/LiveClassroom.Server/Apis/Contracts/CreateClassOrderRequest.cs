namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A rural school's order (docs/API-PLATFORM.md, "Class orders"): what it lacks, for which classroom and term, when.</summary>
public sealed record CreateClassOrderRequest(
    Guid? RuralClassroomId, string? Subject, string? Grade, string? TextbookEdition, string? TermName, string? TermStart, string? TermEnd,
    IReadOnlyList<ClassOrderSlot>? Slots, string? Note);
