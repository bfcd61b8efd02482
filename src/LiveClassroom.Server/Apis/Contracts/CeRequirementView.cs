namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The requirement in force at an organisation; <c>SourceOrganisationId</c> null means the default.</summary>
public sealed record CeRequirementView(Guid OrganisationId, int Year, int TotalHours, int RequiredHours, int ElectiveHours,
    Guid? SourceOrganisationId, string? SourceOrganisationName);
