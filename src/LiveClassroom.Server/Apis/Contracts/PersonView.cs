namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A person as the API shows them: to themselves (login, /api/me) and to their admins.</summary>
public sealed record PersonView(
    Guid Id, string Username, string DisplayName, Guid OrganisationId, string OrganisationName,
    bool IsActive, DateTimeOffset CreatedAt, IReadOnlyList<RoleView> Roles)
{
    public string Kind => "person";
}
