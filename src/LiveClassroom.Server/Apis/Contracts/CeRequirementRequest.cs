namespace LiveClassroom.Server.Apis.Contracts;

public sealed record CeRequirementRequest(Guid? OrganisationId, int? Year, int? TotalHours, int? RequiredHours);
