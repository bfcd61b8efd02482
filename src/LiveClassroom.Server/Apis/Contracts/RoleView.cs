namespace LiveClassroom.Server.Apis.Contracts;

public sealed record RoleView(string Role, Guid OrganisationId, string OrganisationName);
