namespace LiveClassroom.Server.Apis.Contracts;

public sealed record UpdateOrganisationRequest(string? Name, bool? IsRural);
