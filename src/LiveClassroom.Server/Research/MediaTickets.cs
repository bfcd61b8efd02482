using LiveClassroom.Server.Hosting;
using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using LiveClassroom.Server.Auth;

namespace LiveClassroom.Server.Research;

/// <summary>
/// Short-lived signed tickets for session-scoped recording playback: a plain <c>&lt;video src&gt;</c> sends no
/// bearer header, so the URL itself carries the grant. Layout: base64url(person ‖ session ‖ recording ‖ expiry as
/// Unix seconds, big-endian) "." base64url(HMAC-SHA256), with a key derived from the token signing key for this
/// purpose only (a ticket is never a bearer token and a bearer token is never a ticket).
/// </summary>
public sealed class MediaTickets(TokenService tokens, ServerClock time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(6);
    private const int PayloadLength = 16 * 3 + 8;
    private const string Purpose = "research-media-ticket";

    public string Issue(Guid personId, Guid sessionId, Guid recordingId)
    {
        Span<byte> payload = stackalloc byte[PayloadLength];
        personId.TryWriteBytes(payload[..16]);
        sessionId.TryWriteBytes(payload[16..32]);
        recordingId.TryWriteBytes(payload[32..48]);
        BinaryPrimitives.WriteInt64BigEndian(payload[48..], time.GetUtcNow().Add(Lifetime).ToUnixTimeSeconds());
        var signature = HMACSHA256.HashData(tokens.DeriveKey(Purpose), payload);
        return Base64Url.EncodeToString(payload) + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>The grant, or null for anything malformed, forged or expired (callers answer 404 without saying which).</summary>
    public MediaTicket? Read(string? ticket)
    {
        if (string.IsNullOrEmpty(ticket) || ticket.Length > 200)
        {
            return null;
        }
        var dot = ticket.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0)
        {
            return null;
        }
        Span<byte> payload = stackalloc byte[PayloadLength + 4];
        Span<byte> given = stackalloc byte[36];
        if (Base64Url.DecodeFromChars(ticket.AsSpan(0, dot), payload, out _, out var n) != System.Buffers.OperationStatus.Done || n != PayloadLength
            || Base64Url.DecodeFromChars(ticket.AsSpan(dot + 1), given, out _, out var m) != System.Buffers.OperationStatus.Done || m != 32)
        {
            return null;
        }
        payload = payload[..PayloadLength];
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(tokens.DeriveKey(Purpose), payload, expected);
        if (!CryptographicOperations.FixedTimeEquals(expected, given[..32]))
        {
            return null;
        }
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(payload[48..]));
        return expires <= time.GetUtcNow()
            ? null
            : new MediaTicket(new Guid(payload[..16]), new Guid(payload[16..32]), new Guid(payload[32..48]), expires);
    }
}
