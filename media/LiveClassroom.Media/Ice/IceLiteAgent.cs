using System.Text;
using LiveClassroom.Media.Stun;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Ice;

// RFC 8445 §2.5 (ICE lite), §7.3 (responding to binding requests), §7.3.1.1 (role conflict: a lite agent is always
// controlled), §8.2 (nomination by USE-CANDIDATE); RFC 5389 §10.1.2 (short-term credential checks);
// RFC 7675 (consent freshness).
/// <summary>
/// The ICE-lite side of one peer on a shared <see cref="IMediaTransport"/>. It answers the browser's checks,
/// adds a transport route for every validated address, follows the nominated address, and declares the peer
/// gone when no valid check arrived for the consent timeout.
/// State: New → Validated (first valid check) → Nominated (USE-CANDIDATE) → Disconnected (consent lost) → Closed.
/// Threading: <see cref="HandleStun"/> runs on the transport's receive thread; the other members may be called
/// from any thread (one short lock). Events are raised outside the lock, on the thread that caused them.
/// </summary>
internal sealed class IceLiteAgent : IDisposable
{
    public static readonly TimeSpan DefaultConsentTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Validated addresses remembered per peer (each has a transport route); the stalest is dropped beyond it.</summary>
    public const int MaxValidatedAddresses = 8;

    private const string Software = "LiveClassroom";

    private readonly IMediaTransport _transport;
    private readonly IPacketSink _sink;
    private readonly TimeProvider _time;
    private readonly TimeSpan _consentTimeout;
    private readonly Lock _lock = new();
    private readonly byte[] _response = new byte[512];
    private readonly Dictionary<RemoteAddress, long> _validated = [];
    private readonly long[] _results = new long[(int)IceCheckResult.Closed + 1];
    private IceCredentials _local;
    private byte[] _localPassword;
    private byte[] _localUfragColon;
    private string? _remoteUfrag;

    // RFC 8445 §9 / RFC 8839 §4.4.1.1.1: after a restart the old credentials stay valid until a check uses the new ones.
    // The browser applies the new ones only once it has the answer, and a renegotiation it rolls back (or an answer
    // that never reaches it) leaves it checking with the old ones: refusing those would end its consent (RFC 7675).
    private string? _previousUfrag;
    private byte[]? _previousPassword;
    private byte[]? _previousUfragColon;
    private string? _previousRemoteUfrag;
    private long _createdAt;
    private bool _consentLost;

    public IceLiteAgent(IMediaTransport transport, IPacketSink sink, TimeProvider time, IceCredentials? local = null, TimeSpan? consentTimeout = null)
    {
        _transport = transport;
        _sink = sink;
        _time = time;
        _consentTimeout = consentTimeout ?? DefaultConsentTimeout;
        _local = Register(local);
        _localPassword = Encoding.UTF8.GetBytes(_local.Password);
        _localUfragColon = Encoding.UTF8.GetBytes(_local.Ufrag + ":");
        _createdAt = time.GetTimestamp();
    }

    /// <summary>Raised once, when the first check validated (DTLS may start).</summary>
    public event EventHandler? Validated;

    /// <summary>Raised when the address media should go to changes (first validated, then each new nomination).</summary>
    public event EventHandler<RemoteAddress>? SelectedAddressChanged;

    /// <summary>Raised once when consent expires (RFC 7675): the peer should be removed or asked to restart ICE.</summary>
    public event EventHandler? ConsentExpired;

    public IceCredentials LocalCredentials
    {
        get
        {
            lock (_lock)
            {
                return _local;
            }
        }
    }

    public IceAgentState State { get; private set; }

    public bool IsValidated => State is IceAgentState.Validated or IceAgentState.Nominated;

    public bool IsNominated { get; private set; }

    /// <summary>Where to send media and DTLS (null before the first valid check).</summary>
    public RemoteAddress? SelectedAddress { get; private set; }

    public long ResultCount(IceCheckResult result) => Interlocked.Read(ref _results[(int)result]);

    /// <summary>Whether <paramref name="remote"/> passed a check, so DTLS from it may be accepted.</summary>
    public bool IsValidatedAddress(RemoteAddress remote)
    {
        lock (_lock)
        {
            return _validated.ContainsKey(remote);
        }
    }

    /// <summary>The remote ufrag from the peer's SDP; when set, USERNAME must be "localUfrag:remoteUfrag".</summary>
    public void SetRemoteUfrag(string? remoteUfrag)
    {
        lock (_lock)
        {
            _remoteUfrag = remoteUfrag;
        }
    }

    /// <summary>
    /// ICE restart (RFC 8445 §9): new local credentials, same peer. Routes and the selected address stay so media
    /// keeps flowing until the browser's checks with the new credentials nominate again.
    /// </summary>
    public IceCredentials Restart(IceCredentials? newLocal = null, string? newRemoteUfrag = null)
    {
        lock (_lock)
        {
            if (State == IceAgentState.Closed)
            {
                throw new ObjectDisposedException(nameof(IceLiteAgent));
            }
            var old = _local;
            _local = Register(newLocal);
            DropPrevious();
            _previousUfrag = old.Ufrag;
            _previousPassword = _localPassword;
            _previousUfragColon = _localUfragColon;
            _previousRemoteUfrag = _remoteUfrag;
            _localPassword = Encoding.UTF8.GetBytes(_local.Password);
            _localUfragColon = Encoding.UTF8.GetBytes(_local.Ufrag + ":");
            _remoteUfrag = newRemoteUfrag;
            IsNominated = false;
            if (State == IceAgentState.Nominated)
            {
                State = IceAgentState.Validated;
            }
            // A restart often follows a network change: give the new path a full consent period.
            _createdAt = _time.GetTimestamp();
            _consentLost = false;
            if (State == IceAgentState.Disconnected)
            {
                State = SelectedAddress is null ? IceAgentState.New : IceAgentState.Validated;
            }
            return _local;
        }
    }

    /// <summary>Handles one STUN message from <paramref name="remote"/> and sends the answer, if any.</summary>
    public IceCheckResult HandleStun(ReadOnlySpan<byte> packet, RemoteAddress remote)
    {
        var result = HandleStunCore(packet, remote, out var raiseValidated, out var selectedChanged);
        Interlocked.Increment(ref _results[(int)result]);
        if (raiseValidated)
        {
            Validated?.Invoke(this, EventArgs.Empty);
        }
        if (selectedChanged is not null)
        {
            SelectedAddressChanged?.Invoke(this, selectedChanged);
        }
        return result;
    }

    /// <summary>
    /// Checks consent (RFC 7675 §5.1: no valid check on the selected address for the timeout; before any check,
    /// measured from creation or the last restart). Call it periodically (e.g. every second); returns true once,
    /// when consent is lost, and raises <see cref="ConsentExpired"/>.
    /// </summary>
    public bool CheckConsent()
    {
        lock (_lock)
        {
            if (_consentLost || State == IceAgentState.Closed)
            {
                return false;
            }
            var last = SelectedAddress is not null && _validated.TryGetValue(SelectedAddress, out var t) ? Math.Max(t, _createdAt) : _createdAt;
            if (_time.GetElapsedTime(last) < _consentTimeout)
            {
                return false;
            }
            _consentLost = true;
            State = IceAgentState.Disconnected;
        }
        ConsentExpired?.Invoke(this, EventArgs.Empty);
        return true;
    }

    public void Dispose()
    {
        lock (_lock)
        {
            if (State == IceAgentState.Closed)
            {
                return;
            }
            State = IceAgentState.Closed;
            _transport.UnregisterUfrag(_local.Ufrag);
            DropPrevious();
            foreach (var address in _validated.Keys)
            {
                _transport.RemoveRoute(address);
            }
            _validated.Clear();
        }
    }

    private IceCheckResult HandleStunCore(ReadOnlySpan<byte> packet, RemoteAddress remote, out bool raiseValidated, out RemoteAddress? selectedChanged)
    {
        raiseValidated = false;
        selectedChanged = null;
        if (StunMessage.TryParse(packet, out var request) != StunParseError.None)
        {
            return IceCheckResult.Malformed;
        }
        if (!request.IsRequest || request.Method != 0x001)
        {
            return IceCheckResult.Ignored;
        }
        if (!request.HasFingerprint || !request.VerifyFingerprint())
        {
            return IceCheckResult.BadFingerprint;
        }
        lock (_lock)
        {
            if (State == IceAgentState.Closed)
            {
                return IceCheckResult.Closed;
            }
            if (request.FirstUnknownComprehensionRequired != 0)
            {
                SendError(request, remote, 420, "Unknown Attribute", request.FirstUnknownComprehensionRequired);
                return IceCheckResult.UnknownAttribute;
            }
            if (!request.HasUsername || !request.HasMessageIntegrity || !(request.HasIceControlling || request.HasIceControlled))
            {
                SendError(request, remote, 400, "Bad Request", 0);
                return IceCheckResult.BadRequest;
            }
            var password = _localPassword;
            if (!UsernameMatches(request.Username, _localUfragColon, _remoteUfrag) || !request.VerifyMessageIntegrity(_localPassword))
            {
                if (_previousPassword is null || !UsernameMatches(request.Username, _previousUfragColon!, _previousRemoteUfrag)
                    || !request.VerifyMessageIntegrity(_previousPassword))
                {
                    SendError(request, remote, 401, "Unauthorized", 0);
                    return IceCheckResult.Unauthorized;
                }
                password = _previousPassword;
            }
            if (request.HasIceControlled && !request.HasIceControlling)
            {
                SendError(request, remote, 487, "Role Conflict", 0, password);
                return IceCheckResult.RoleConflict;
            }
            if (password == _localPassword)
            {
                // The browser uses the new credentials: the old ones are done with.
                DropPrevious();
            }

            Remember(remote);
            if (State is IceAgentState.New or IceAgentState.Disconnected)
            {
                raiseValidated = State == IceAgentState.New;
                State = IceAgentState.Validated;
                _consentLost = false;
            }
            if (SelectedAddress is null)
            {
                SelectedAddress = remote;
                selectedChanged = remote;
            }
            if (request.UseCandidate)
            {
                IsNominated = true;
                State = IceAgentState.Nominated;
                if (!SelectedAddress.Equals(remote))
                {
                    SelectedAddress = remote;
                    selectedChanged = remote;
                }
            }
            // State first, answer second: whoever sees the answer sees the route and the nomination.
            SendSuccess(request, remote, password);
            return IceCheckResult.Success;
        }
    }

    /// <summary>Whether the old credentials of a restart are still accepted (until a check uses the new ones).</summary>
    public bool AcceptsPreviousCredentials
    {
        get
        {
            lock (_lock)
            {
                return _previousPassword is not null;
            }
        }
    }

    private void DropPrevious()
    {
        if (_previousUfrag is not null)
        {
            _transport.UnregisterUfrag(_previousUfrag);
        }
        _previousUfrag = null;
        _previousPassword = null;
        _previousUfragColon = null;
        _previousRemoteUfrag = null;
    }

    private static bool UsernameMatches(ReadOnlySpan<byte> username, byte[] localUfragColon, string? remoteUfrag)
    {
        if (!username.StartsWith(localUfragColon))
        {
            return false;
        }
        if (remoteUfrag is null)
        {
            return username.Length > localUfragColon.Length;
        }
        var remotePart = username[localUfragColon.Length..];
        Span<byte> expected = stackalloc byte[256 * 3];
        return Encoding.UTF8.TryGetBytes(remoteUfrag, expected, out var n) && remotePart.SequenceEqual(expected[..n]);
    }

    private void Remember(RemoteAddress remote)
    {
        var now = _time.GetTimestamp();
        if (_validated.ContainsKey(remote))
        {
            _validated[remote] = now;
            return;
        }
        if (_validated.Count >= MaxValidatedAddresses)
        {
            RemoteAddress? stalest = null;
            var stalestAt = long.MaxValue;
            foreach (var pair in _validated)
            {
                if (pair.Value < stalestAt && !pair.Key.Equals(SelectedAddress))
                {
                    stalest = pair.Key;
                    stalestAt = pair.Value;
                }
            }
            if (stalest is not null)
            {
                _validated.Remove(stalest);
                _transport.RemoveRoute(stalest);
            }
        }
        _validated[remote] = now;
        _transport.AddRoute(remote, _sink);
    }

    private void SendSuccess(in StunMessage request, RemoteAddress remote, byte[] password)
    {
        var writer = new StunMessageWriter(_response, StunMessageType.BindingSuccessResponse, request.TransactionId);
        writer.AddXorMappedAddress(remote.Address, remote.Port);
        writer.AddMessageIntegrity(password);
        writer.AddFingerprint();
        if (!writer.Failed)
        {
            _transport.Send(_response.AsSpan(0, writer.Length), remote);
        }
    }

    private void SendError(in StunMessage request, RemoteAddress remote, int code, string reason, ushort unknownAttribute, byte[]? integrityPassword = null)
    {
        var writer = new StunMessageWriter(_response, StunMessageType.BindingErrorResponse, request.TransactionId);
        writer.AddErrorCode(code, reason);
        if (unknownAttribute != 0)
        {
            Span<byte> value = [(byte)(unknownAttribute >> 8), (byte)unknownAttribute];
            writer.AddRaw(StunAttributeType.UnknownAttributes, value);
        }
        writer.AddSoftware(Software);
        if (integrityPassword is not null)
        {
            writer.AddMessageIntegrity(integrityPassword);
        }
        writer.AddFingerprint();
        if (!writer.Failed)
        {
            _transport.Send(_response.AsSpan(0, writer.Length), remote);
        }
    }

    private IceCredentials Register(IceCredentials? requested)
    {
        if (requested is not null)
        {
            if (!IceCredentials.IsValidUfrag(requested.Ufrag) || !IceCredentials.IsValidPassword(requested.Password))
            {
                throw new ArgumentException("ICE credentials violate RFC 8839 §5.4", nameof(requested));
            }
            if (!_transport.TryRegisterUfrag(requested.Ufrag, _sink))
            {
                throw new InvalidOperationException("ICE ufrag already in use on this transport");
            }
            return requested;
        }
        // 48 random bits make a collision unlikely; a few retries make it impossible in practice.
        for (var attempt = 0; attempt < 16; attempt++)
        {
            var generated = IceCredentials.Generate();
            if (_transport.TryRegisterUfrag(generated.Ufrag, _sink))
            {
                return generated;
            }
        }
        throw new InvalidOperationException("could not find a free ICE ufrag");
    }
}
