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
        LastHeardMillis = Environment.TickCount64;
        OpenedOrder = Interlocked.Increment(ref _lastOpened);
    }

    /// <summary>This link's place in the node's order of opened links (larger = newer).</summary>
    public long OpenedOrder { get; }

    protected RelaySocket Socket { get; }

    public SfuRoom Room { get; }

    public RelayCipher Cipher { get; }

    public System.Net.SocketAddress Remote { get; }

    public IPEndPoint RemoteEndPoint { get; }

    public long LastHeardMillis { get; protected set; }

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
