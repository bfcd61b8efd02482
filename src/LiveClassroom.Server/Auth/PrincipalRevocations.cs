namespace LiveClassroom.Server.Auth;

/// <summary>
/// Tokens that must be refused before they expire: revoked device tokens (by jti) and deactivated people (by id).
/// Loaded from the database by <see cref="AuthStateRefresher"/>; a device revoked on this node is added at once.
/// </summary>
public sealed class PrincipalRevocations
{
    private sealed record Snapshot(HashSet<Guid> DeviceTokens, HashSet<Guid> People, Dictionary<Guid, long> SessionsValidAfter, long Version);

    private Snapshot _current = new([], [], [], 0);
    private readonly Lock _gate = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<Guid, byte> _revokedHere = new();

    public long Version => Volatile.Read(ref _current).Version;

    public bool IsDeviceTokenRevoked(Guid tokenId) =>
        Volatile.Read(ref _current).DeviceTokens.Contains(tokenId) || _revokedHere.ContainsKey(tokenId);

    public bool IsPersonInactive(Guid personId) => Volatile.Read(ref _current).People.Contains(personId);

    /// <summary>
    /// True when a person token issued at <paramref name="issuedAtUnixMs"/> predates the person's last role change
    /// or password reset. Compared in whole milliseconds, the token's precision.
    /// </summary>
    public bool IsPersonTokenStale(Guid personId, long? issuedAtUnixMs) =>
        Volatile.Read(ref _current).SessionsValidAfter.TryGetValue(personId, out var after) && (issuedAtUnixMs is not { } iat || iat < after);

    public void Publish(
        IEnumerable<Guid> revokedDeviceTokens, IEnumerable<Guid> inactivePeople, IEnumerable<KeyValuePair<Guid, DateTimeOffset>> sessionsValidAfter,
        long version)
    {
        lock (_gate)
        {
            if (_current.Version > version)
            {
                return;
            }
            Volatile.Write(ref _current, new Snapshot(
                [.. revokedDeviceTokens], [.. inactivePeople],
                sessionsValidAfter.ToDictionary(kv => kv.Key, kv => kv.Value.ToUnixTimeMilliseconds()), version));
        }
    }

    /// <summary>
    /// Refuses the token on this node at once. Kept apart from the loaded snapshot, which a refresh that read the
    /// database just before the revocation committed could otherwise replace; revocation is permanent, so the set
    /// only grows (by the devices revoked on this node).
    /// </summary>
    public void RevokeDeviceToken(Guid tokenId) => _revokedHere[tokenId] = 0;
}
