namespace LiveClassroom.Server.Apis;

public static class ClientAddress
{
    /// <summary>
    /// The peer's address as Kestrel saw it. Behind a reverse proxy this is the proxy's; configure forwarded headers
    /// there rather than trusting a client-supplied X-Forwarded-For here.
    /// </summary>
    public static string Of(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
