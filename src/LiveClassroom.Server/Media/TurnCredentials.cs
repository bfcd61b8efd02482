using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Hosting;

namespace LiveClassroom.Server.Media;

/// <summary>
/// Short-lived TURN credentials in the TURN REST API scheme that coturn checks with <c>use-auth-secret</c> /
/// <c>static-auth-secret</c> (draft-uberti-behave-turn-rest-00 §2.2): username = "&lt;expiry unix time&gt;:&lt;user id&gt;",
/// password = base64(HMAC-SHA1(secret, username)). The secret never leaves the server. Without <c>Turn:Urls</c> and
/// <c>Turn:Secret</c> no TURN server is handed out.
/// </summary>
public sealed class TurnCredentials
{
    public const int DefaultTtlSeconds = 86_400;

    private readonly byte[] _secret;

    private TurnCredentials(IReadOnlyList<string> urls, byte[] secret, TimeSpan ttl)
    {
        Urls = urls;
        _secret = secret;
        Ttl = ttl;
    }

    public IReadOnlyList<string> Urls { get; }

    public TimeSpan Ttl { get; }

    public bool Enabled => Urls.Count > 0;

    public static TurnCredentials FromConfiguration(IConfiguration config)
    {
        var ttl = config.GetValue("Turn:TtlSeconds", DefaultTtlSeconds);
        if (ttl is < 60 or > 7 * 86_400)
        {
            throw new StartupException(string.Create(CultureInfo.InvariantCulture, $"Turn:TtlSeconds must be 60–604800, not {ttl}"));
        }
        var urls = (config["Turn:Urls"] ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        foreach (var url in urls)
        {
            // RFC 7065 §3.1: turn: or turns: URIs.
            if (!url.StartsWith("turn:", StringComparison.OrdinalIgnoreCase) && !url.StartsWith("turns:", StringComparison.OrdinalIgnoreCase))
            {
                throw new StartupException($"Turn:Urls must hold turn: or turns: URIs, not '{url}'");
            }
        }
        var secret = config["Turn:Secret"];
        if (urls.Length > 0 && string.IsNullOrEmpty(secret))
        {
            throw new StartupException("Turn:Secret is required when Turn:Urls is set (coturn's static-auth-secret)");
        }
        return new TurnCredentials(urls, Encoding.UTF8.GetBytes(secret ?? ""), TimeSpan.FromSeconds(ttl));
    }

    /// <summary>The ICE servers for <paramref name="userId"/> (a person or device id), valid until now + TTL.</summary>
    public IceServersResponse For(string userId, DateTimeOffset now)
    {
        var ttlSeconds = (int)Ttl.TotalSeconds;
        if (!Enabled)
        {
            return new IceServersResponse([], ttlSeconds, now + Ttl);
        }
        var expires = now + Ttl;
        var username = string.Create(CultureInfo.InvariantCulture, $"{expires.ToUnixTimeSeconds()}:{userId}");
        var credential = Convert.ToBase64String(HMACSHA1.HashData(_secret, Encoding.UTF8.GetBytes(username)));
        return new IceServersResponse([new IceServerView(Urls, username, credential)], ttlSeconds, expires);
    }
}
