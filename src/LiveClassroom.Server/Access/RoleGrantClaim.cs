namespace LiveClassroom.Server.Access;

/// <summary>One <c>role@organisationId</c> claim.</summary>
public sealed record RoleGrantClaim(string Role, Guid OrganisationId);
