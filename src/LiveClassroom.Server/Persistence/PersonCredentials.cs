namespace LiveClassroom.Server.Persistence;

/// <summary>
/// What login needs about a person; the hash never leaves the server. <paramref name="AccountStatus"/> is
/// <c>active</c>, <c>pending</c> or <c>rejected</c> (a registration not yet approved, or refused).
/// </summary>
public sealed record PersonCredentials(Guid Id, string PasswordHash, bool IsActive, string AccountStatus = "active", bool MustChangePassword = false)
{
    /// <summary>The token restriction this account signs in with (<see cref="Auth.LcClaims.Restriction"/>), or null for none.</summary>
    public string? Restriction => AccountStatus != "active" ? Auth.LcClaims.RestrictionRegistration
        : MustChangePassword ? Auth.LcClaims.RestrictionPassword : null;
}
