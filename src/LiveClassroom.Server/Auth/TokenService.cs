using LiveClassroom.Server.Hosting;
using System.Buffers.Text;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace LiveClassroom.Server.Auth;

/// <summary>
/// Issues and validates compact signed tokens: <c>base64url(json payload) "." base64url(HMAC-SHA256)</c>.
/// The payload holds the claims and an expiry (<c>exp</c>, Unix seconds). The signing key comes from
/// <c>Auth:SigningKey</c> (base64, ≥ 32 bytes). Without one the server uses a key kept in PostgreSQL
/// (<see cref="SharedSigningKey"/> installs it at start-up), so tokens survive restarts and every node accepts
/// them; until then, and in tests that build this class alone, a random per-process key.
/// </summary>
public sealed class TokenService
{
    private byte[] _key;
    private readonly TimeProvider _time;

    public TokenService(IConfiguration config, ServerClock time)
    {
        _time = time;
        var configured = config["Auth:SigningKey"];
        HasConfiguredKey = !string.IsNullOrWhiteSpace(configured);
        _key = HasConfiguredKey ? Convert.FromBase64String(configured!) : RandomNumberGenerator.GetBytes(32);
        if (_key.Length < 32)
        {
            throw new InvalidOperationException("Auth:SigningKey must be at least 32 bytes (base64).");
        }
    }

    /// <summary>True when <c>Auth:SigningKey</c> was set; the configured key then always wins.</summary>
    public bool HasConfiguredKey { get; }

    /// <summary>Installs the key the nodes share through the database. Called at start-up, before requests are served.</summary>
    public void UseSharedKey(byte[] key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (key.Length < 32)
        {
            throw new ArgumentException("A signing key must be at least 32 bytes.", nameof(key));
        }
        if (!HasConfiguredKey)
        {
            Volatile.Write(ref _key, key);
        }
    }

    /// <summary>
    /// A key for another kind of signed value (e.g. media tickets), derived from the signing key so every node
    /// agrees on it, but distinct per <paramref name="purpose"/>: such values never pass as bearer tokens.
    /// </summary>
    public byte[] DeriveKey(string purpose)
    {
        ArgumentException.ThrowIfNullOrEmpty(purpose);
        return HMACSHA256.HashData(Volatile.Read(ref _key), Encoding.UTF8.GetBytes("liveclassroom/" + purpose));
    }

    public string Issue(IEnumerable<Claim> claims, TimeSpan lifetime)
    {
        var payload = new Dictionary<string, object>();
        foreach (var group in claims.GroupBy(c => c.Type))
        {
            var values = group.Select(c => c.Value).ToArray();
            payload[group.Key] = group.Key == LcClaims.Role ? values : values[0];
        }
        payload["exp"] = _time.GetUtcNow().Add(lifetime).ToUnixTimeSeconds();
        var body = Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(payload));
        return body + "." + Base64Url.EncodeToString(HMACSHA256.HashData(Volatile.Read(ref _key), Encoding.ASCII.GetBytes(body)));
    }

    /// <summary>The principal, or null for a malformed, forged or expired token.</summary>
    public ClaimsPrincipal? Validate(string? token, string authenticationType)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 8192)
        {
            return null;
        }
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || dot == token.Length - 1)
        {
            return null;
        }
        var body = token[..dot];
        Span<byte> expected = stackalloc byte[32];
        HMACSHA256.HashData(Volatile.Read(ref _key), Encoding.ASCII.GetBytes(body), expected);
        Span<byte> given = stackalloc byte[64];
        // The OperationStatus overload reports malformed input instead of throwing (TryDecodeFromChars throws).
        if (Base64Url.DecodeFromChars(token.AsSpan(dot + 1), given, out _, out var n) != System.Buffers.OperationStatus.Done || n != 32
            || !CryptographicOperations.FixedTimeEquals(given[..n], expected))
        {
            return null;
        }
        try
        {
            using var doc = JsonDocument.Parse(Base64Url.DecodeFromChars(body));
            var root = doc.RootElement;
            if (!root.TryGetProperty("exp", out var exp) || exp.GetInt64() <= _time.GetUtcNow().ToUnixTimeSeconds())
            {
                return null;
            }
            var identity = new ClaimsIdentity(authenticationType, LcClaims.Name, LcClaims.Role);
            foreach (var prop in root.EnumerateObject())
            {
                if (prop.Name == "exp")
                {
                    continue;
                }
                if (prop.Value.ValueKind == JsonValueKind.Array)
                {
                    foreach (var v in prop.Value.EnumerateArray())
                    {
                        identity.AddClaim(new Claim(prop.Name, v.GetString() ?? ""));
                    }
                }
                else
                {
                    identity.AddClaim(new Claim(prop.Name, prop.Value.ToString()));
                }
            }
            return new ClaimsPrincipal(identity);
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
