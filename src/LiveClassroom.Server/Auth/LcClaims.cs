namespace LiveClassroom.Server.Auth;

/// <summary>
/// The claims every LiveClassroom principal carries. A person holds roles scoped to organisations
/// (<c>role</c> claims of the form <c>lead_teacher@{orgId}</c>); a classroom device is its own principal.
/// </summary>
public static class LcClaims
{
    /// <summary>Person id or device id (Guid, "N" format not required).</summary>
    public const string Subject = "sub";
    public const string Name = "name";
    /// <summary><see cref="KindPerson"/> or <see cref="KindDevice"/>.</summary>
    public const string Kind = "lc:kind";
    /// <summary>The organisation the person or device belongs to (a school for devices and teachers).</summary>
    public const string Organisation = "lc:org";
    /// <summary>One per held role: <c>{role}@{organisationId}</c>.</summary>
    public const string Role = "lc:role";
    /// <summary>Devices only: the classroom the device sits in.</summary>
    public const string Classroom = "lc:classroom";
    /// <summary>Devices only: the device token's id, checked against revocation on every request.</summary>
    public const string TokenId = "jti";
    /// <summary>People only: when the token was issued (Unix milliseconds), checked against the person's
    /// sessions-valid-after time so a role change or password reset ends older sessions.</summary>
    public const string IssuedAt = "lc:iat";

    /// <summary>
    /// People only, when present: the token may reach nothing but the endpoints <c>Hosting/RestrictedAccounts</c> lets
    /// through. <see cref="RestrictionRegistration"/>: the account's registration is pending or was rejected;
    /// <see cref="RestrictionPassword"/>: the account still has its one-time password.
    /// </summary>
    public const string Restriction = "lc:restrict";
    public const string RestrictionRegistration = "registration";
    public const string RestrictionPassword = "password";

    public const string KindPerson = "person";
    public const string KindDevice = "device";
}
