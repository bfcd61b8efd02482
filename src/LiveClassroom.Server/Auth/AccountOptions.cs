namespace LiveClassroom.Server.Auth;

/// <summary>Settings under <c>Auth:</c> in configuration (e.g. <c>Auth__PersonTokenHours=8</c>).</summary>
public sealed class AccountOptions
{
    public const string Section = "Auth";

    public double PersonTokenHours { get; set; } = 12;

    public double DeviceTokenDays { get; set; } = 365;

    /// <summary>Failed logins for one username within <see cref="LoginWindowMinutes"/> before it is refused.</summary>
    public int LoginFailuresPerUser { get; set; } = 5;

    /// <summary>Failed logins from one client IP within the window; higher, since a school shares one address.</summary>
    public int LoginFailuresPerIp { get; set; } = 30;

    public double LoginWindowMinutes { get; set; } = 5;

    /// <summary>Pairing requests one client IP may create within ten minutes.</summary>
    public int PairingRequestsPerIp { get; set; } = 20;

    public double PairingCodeMinutes { get; set; } = 10;

    /// <summary>How often each node re-checks the database for organisation changes and revocations.</summary>
    public double CacheRefreshSeconds { get; set; } = 2;
}
