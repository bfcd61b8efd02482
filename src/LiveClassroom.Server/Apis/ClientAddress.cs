namespace LiveClassroom.Server.Apis;

public static class ClientAddress
{
    /// <summary>
    /// The client's address: the peer Kestrel saw, or, when that peer is a proxy listed in
    /// <c>Network:TrustedProxies</c>, the address it forwarded (Hosting/TrustedProxies). IPv4 peers on a dual-stack
    /// socket are written as IPv4, so one client is always counted under one string.
    /// </summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress switch
    {
        null => "unknown",
        { IsIPv4MappedToIPv6: true } mapped => mapped.MapToIPv4().ToString(),
        var address => address.ToString(),
    };
}
