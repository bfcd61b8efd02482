namespace LiveClassroom.Server.Apis.Contracts;

public sealed record ReplaceRolesRequest(IReadOnlyList<RoleRequest>? Roles);
