namespace LiveClassroom.Server.Apis.Contracts;

public sealed record CreatePersonRequest(
    Guid? OrganisationId, string? Username, string? DisplayName, string? Password, IReadOnlyList<RoleRequest>? Roles);
