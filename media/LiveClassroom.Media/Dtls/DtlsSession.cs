// RFC 6347 (DTLS 1.2) server role for one peer, RFC 5764 §4.2 key export. The SFU is always the server (setup:passive).
using Org.BouncyCastle.Crypto.Tls;

namespace LiveClassroom.Media.Dtls;

/// <summary>
/// Created → Handshaking → Connected → Closed, or → Failed. The blocking BouncyCastle handshake and the
/// post-handshake read loop run on a dedicated background thread fed by a bounded queue, so the packet loop only copies.
/// </summary>
internal sealed class DtlsSession : IDisposable
{
    private readonly DtlsDatagramQueue _queue;
    private readonly DtlsSrtpServer _server;
    private readonly DtlsSessionOptions _options;
    private Thread? _thread;
    private int _state; // 0 created, 1 handshaking, 2 connected, 3 closed, 4 failed
    private long _malformed;

    public DtlsSession(DtlsCertificate certificate, string expectedPeerFingerprint, SrtpProtectionProfileId[] profiles,
        Action<byte[], int, int> send, DtlsSessionOptions? options = null)
    {
        _options = options ?? new DtlsSessionOptions();
        _queue = new DtlsDatagramQueue(send, _options.InitialRetransmitMillis);
        _server = new DtlsSrtpServer(certificate, expectedPeerFingerprint, profiles);
    }

    /// <summary>Raised once on the session thread with the SRTP keys.</summary>
    public event Action<DtlsSession, DtlsSrtpKeyingMaterial>? Connected;

    /// <summary>Raised once on the session thread with a reason (fingerprint mismatch, timeout, alert).</summary>
    public event Action<DtlsSession, string>? Failed;

    /// <summary>Raised once on the session thread when the peer closes DTLS after the handshake.</summary>
    public event Action<DtlsSession>? Closed;

    public bool IsConnected => Volatile.Read(ref _state) == 2;

    public bool HasFailed => Volatile.Read(ref _state) == 4;

    public bool FingerprintMismatch => _server.FingerprintMismatch;

    public long MalformedDatagrams => Interlocked.Read(ref _malformed);

    public long DroppedDatagrams => _queue.Dropped;

    public long SentDatagrams => _queue.Sent;

    public long ReceivedDatagrams => _queue.Received;

    public DtlsSrtpKeyingMaterial? KeyingMaterial => _server.KeyingMaterial;

    /// <summary>The session's thread still runs: handshaking, or lingering after it to resend a lost final flight.</summary>
    public bool IsLingering => _thread is { IsAlive: true };

    private int _peerFinished;

    /// <summary>
    /// Called from the packet loop when SRTP or SRTCP from the peer authenticates. A DTLS client derives and uses the
    /// SRTP keys only once it has our final flight, so it will never resend its own (RFC 6347 §4.2.4: the last flight is
    /// resent only in answer to the peer's retransmission), and the linger, with its thread, ends now instead of after
    /// <see cref="DtlsSessionOptions.PostHandshakeLinger"/>. Cheap on every packet: one field read once done.
    /// </summary>
    public void PeerFinished()
    {
        if (_peerFinished != 0 || Volatile.Read(ref _state) != 2)
        {
            return;
        }
        if (Interlocked.Exchange(ref _peerFinished, 1) == 0)
        {
            _queue.Close();
        }
    }

    /// <summary>Called from the packet loop: validates the record framing, copies, and starts the handshake on first use. Never blocks.</summary>
    public bool Deliver(ReadOnlySpan<byte> datagram)
    {
        if (!DtlsRecordHeader.TryParseDatagram(datagram, out _))
        {
            Interlocked.Increment(ref _malformed);
            return false;
        }
        if (Volatile.Read(ref _state) >= 3)
        {
            return false;
        }
        var accepted = _queue.TryEnqueue(datagram);
        if (Interlocked.CompareExchange(ref _state, 1, 0) == 0)
        {
            _thread = new Thread(Run) { IsBackground = true, Name = "dtls-session" };
            _thread.Start();
        }
        return accepted;
    }

    private void Run()
    {
        DtlsTransport? transport = null;
        try
        {
            _queue.SetDeadline(_options.HandshakeTimeout);
            transport = DtlsSrtpServer.CreateProtocol().Accept(_server, _queue);
            _queue.ClearDeadline();
            _queue.TimerActive = false;
            if (_server.KeyingMaterial is null)
            {
                Fail("handshake finished without SRTP keys");
                return;
            }
            Volatile.Write(ref _state, 2);
            Connected?.Invoke(this, _server.KeyingMaterial);
        }
        catch (Exception ex) when (ex is IOException or TimeoutException or ObjectDisposedException or InvalidOperationException or ArgumentException)
        {
            Fail(_server.FingerprintMismatch ? "peer certificate does not match the SDP fingerprint" : $"{ex.GetType().Name}: {ex.Message} {_server.LastAlert}");
            return;
        }
        Linger(transport);
    }

    // A lost final flight is only repaired if we keep reading: BouncyCastle resends it when the peer's flight repeats.
    // Until the peer's first protected packet (PeerFinished closes the queue, which ends the wait at once) or the linger
    // time, whichever comes first. A close_notify is noticed only meanwhile; later, consent expiry or the hub ends the peer.
    private void Linger(DtlsTransport transport)
    {
        var buffer = new byte[1500];
        var until = Environment.TickCount64 + (long)_options.PostHandshakeLinger.TotalMilliseconds;
        try
        {
            while (!_queue.IsClosed && Environment.TickCount64 < until)
            {
                // Application data (no data channels) is read and discarded. Long waits: BouncyCastle allocates a
                // record buffer per call, and closing the queue ends the wait at once anyway.
                transport.Receive(buffer, 0, buffer.Length, 2000);
                if (_server.PeerClosed)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or TimeoutException)
        {
            // A fatal alert after the handshake: treated like close_notify below.
        }
        if (_server.PeerClosed && !_queue.IsClosed)
        {
            Closed?.Invoke(this);
        }
    }

    private void Fail(string reason)
    {
        Volatile.Write(ref _state, 4);
        _queue.Close();
        Failed?.Invoke(this, reason);
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _state, 3) != 3)
        {
            _queue.Close();
        }
        var thread = _thread;
        if (thread is not null && thread != Thread.CurrentThread)
        {
            thread.Join(TimeSpan.FromSeconds(2));
        }
        _queue.Dispose();
    }
}
