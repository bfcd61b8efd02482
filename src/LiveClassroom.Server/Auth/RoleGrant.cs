namespace LiveClassroom.Server.Auth;

/// <summary>A role held at an organisation, as carried in a person token (<c>role@organisationId</c>).</summary>
public sealed record RoleGrant(string Role, Guid OrganisationId)
{
    public string ToClaimValue() => $"{Role}@{OrganisationId}";

    public static RoleGrant? Parse(string claimValue)
    {
        var at = claimValue.LastIndexOf('@');
        if (at <= 0 || !Guid.TryParse(claimValue.AsSpan(at + 1), out var org))
        {
            return null;
        }
        return new RoleGrant(claimValue[..at], org);
    }
}
