namespace LiveClassroom.Server.Apis.Contracts;

public sealed record RoleRequest(string? Role, Guid? OrganisationId);
