namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A membership application.</summary>
public sealed record AllianceApplicationView(Guid Id, Guid AllianceId, Guid PersonId, string Name, string? SchoolName, string? Note, string Status,
    string? Reason, DateTimeOffset CreatedAt);
