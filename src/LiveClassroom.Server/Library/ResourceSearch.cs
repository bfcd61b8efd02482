namespace LiveClassroom.Server.Library;

/// <summary>Search filters over published resources; all optional, combined with AND.</summary>
public sealed record ResourceSearch(
    string? Q = null,
    string? Stage = null,
    string? Grade = null,
    string? Subject = null,
    string? TextbookEdition = null,
    string? Chapter = null,
    Guid? SchoolId = null,
    int Limit = 20,
    int Offset = 0);
