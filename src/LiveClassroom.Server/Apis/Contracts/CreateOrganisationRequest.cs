namespace LiveClassroom.Server.Apis.Contracts;

public sealed record CreateOrganisationRequest(Guid? ParentId, string? Kind, string? Name, bool? IsRural);
