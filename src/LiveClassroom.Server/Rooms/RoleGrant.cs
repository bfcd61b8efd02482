namespace LiveClassroom.Server.Rooms;

/// <summary>One held role, scoped to an organisation (claim <c>lc:role</c> = <c>{role}@{organisationId}</c>).</summary>
public sealed record RoleGrant(string Role, Guid OrganisationId);
