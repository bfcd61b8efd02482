using System.Net;
using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Relay;

/// <summary>One end of a relay link (one room between two nodes): its cipher, its peer node's address, its counters.</summary>
internal abstract class RelayLink : IDisposable
{
    private static long _lastOpened;

    protected RelayLink(RelaySocket socket, SfuRoom room, uint linkId, ReadOnlySpan<byte> key, IPEndPoint remote, bool isOrigin)
    {
        Socket = socket;
        Room = room;
        Cipher = new RelayCipher(linkId, key, isOrigin);
        Remote = remote.Serialize();
        RemoteEndPoint = remote;
        LastHeardMillis = socket.NowMillis;
        OpenedOrder = Interlocked.Increment(ref _lastOpened);
    }

    /// <summary>This link's place in the node's order of opened links (larger = newer).</summary>
    public long OpenedOrder { get; }

    protected RelaySocket Socket { get; }

    public SfuRoom Room { get; }

    public RelayCipher Cipher { get; }

    public System.Net.SocketAddress Remote { get; }

    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>When the other node was last heard, on the socket's clock (<see cref="RelaySocket.NowMillis"/>).</summary>
    public long LastHeardMillis
    {
        get => Volatile.Read(ref _lastHeardMillis);
        set => Volatile.Write(ref _lastHeardMillis, value);
    }

    private long _lastHeardMillis;
    private volatile bool _suspended;

    /// <summary>Silent past <see cref="RelaySocket.SilenceLimit"/> and not heard since (read on the packet path without the link's lock).</summary>
    public bool Suspended => _suspended;

    /// <summary>Times this link was suspended.</summary>
    public long Suspensions;

    /// <summary>Relay timer, under the link's lock: the other node has been silent past the limit.</summary>
    public void Suspend()
    {
        _suspended = true;
        Interlocked.Increment(ref Suspensions);
        OnSuspended();
    }

    /// <summary>Relay receive thread, under the link's lock: the other node is heard again.</summary>
    public void Resume()
    {
        _suspended = false;
        OnResumed();
    }

    protected virtual void OnSuspended()
    {
    }

    protected virtual void OnResumed()
    {
    }

    public long PacketsSent;

    public long BytesSent;

    public long PacketsReceived;

    public long Retransmissions;

    public long Malformed;

    public abstract bool IsOrigin { get; }

    /// <summary>Relay receive thread: an opened datagram's body.</summary>
    public abstract void OnMessage(RelayMessageType type, Span<byte> body);

    /// <summary>Relay timer, every 250 ms.</summary>
    public abstract void Tick();

    /// <summary><paramref name="buffer"/> holds the body at <see cref="RelayCipher.HeaderLength"/>; seals and sends it.</summary>
    protected void SealAndSend(Span<byte> buffer, RelayMessageType type, int bodyLength)
    {
        var length = Cipher.Seal(buffer, type, bodyLength);
        if (Socket.Send(buffer[..length], Remote))
        {
            Interlocked.Increment(ref PacketsSent);
            Interlocked.Add(ref BytesSent, length);
        }
    }

    public virtual void Dispose() => Cipher.Dispose();
}
