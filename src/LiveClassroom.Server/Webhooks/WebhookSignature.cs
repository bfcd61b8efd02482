using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace LiveClassroom.Server.Webhooks;

/// <summary>
/// The delivery signature: HMAC-SHA256 (RFC 2104 with SHA-256, RFC 6234) keyed with the hook's secret over
/// <c>{timestamp}.{body}</c>, sent as <c>X-LiveClassroom-Signature: t={unix seconds},v1={lowercase hex}</c>.
/// The timestamp lets a receiver refuse old deliveries (replay protection); v1 names the scheme so it can change.
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-LiveClassroom-Signature";
    public const string EventIdHeader = "X-LiveClassroom-Event-Id";
    public const string EventTypeHeader = "X-LiveClassroom-Event";
    public const string DeliveryHeader = "X-LiveClassroom-Delivery";

    public static string Compute(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var message = new byte[prefix.Length + body.Length];
        prefix.CopyTo(message, 0);
        body.CopyTo(message.AsSpan(prefix.Length));
        return Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), message));
    }

    public static string HeaderValue(string secret, long timestamp, ReadOnlySpan<byte> body) =>
        string.Create(CultureInfo.InvariantCulture, $"t={timestamp},v1={Compute(secret, timestamp, body)}");

    /// <summary>A new secret: 32 random bytes, hex, with a prefix that makes it recognisable in a leak scan.</summary>
    public static string NewSecret() => "whsec_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
}
