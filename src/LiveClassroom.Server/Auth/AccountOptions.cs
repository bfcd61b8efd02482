namespace LiveClassroom.Server.Auth;

/// <summary>Settings under <c>Auth:</c> in configuration (e.g. <c>Auth__PersonTokenHours=8</c>).</summary>
public sealed class AccountOptions
{
    public const string Section = "Auth";

    public double PersonTokenHours { get; set; } = 12;

    public double DeviceTokenDays { get; set; } = 365;

    /// <summary>
    /// Failed logins for one username from one client address within <see cref="LoginWindowMinutes"/> before that
    /// pair is refused: the limit a teacher who mistypes meets, without locking anyone else out.
    /// </summary>
    public int LoginFailuresPerUserAndIp { get; set; } = 5;

    /// <summary>Failed logins for one username from any address within the window: guessing one account from many places.</summary>
    public int LoginFailuresPerUser { get; set; } = 20;

    /// <summary>
    /// Failed logins from one client address over all usernames within the window: only for very high volumes, since
    /// a whole school (every teacher mistyping now and then) shares one NAT address.
    /// </summary>
    public int LoginFailuresPerIp { get; set; } = 300;

    public double LoginWindowMinutes { get; set; } = 5;

    /// <summary>Pairing requests one client address may create within ten minutes (a school pairs its projectors behind one NAT).</summary>
    public int PairingRequestsPerIp { get; set; } = 60;

    public double PairingCodeMinutes { get; set; } = 10;

    /// <summary>How often each node re-checks the database for organisation changes and revocations.</summary>
    public double CacheRefreshSeconds { get; set; } = 2;
}
