using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using LiveClassroom.Media.Buffers;

namespace LiveClassroom.Media.Transport;

// RFC 4571 §2 framing (16-bit length + packet) for ICE-TCP (RFC 6544) passive candidates.
/// <summary>
/// One accepted TCP connection of the media transport. Sends are frame-atomic and never block the caller: a frame is
/// copied into a pooled buffer and queued (bounded); a send loop writes the queue out. A full queue or an exhausted
/// pool drops the frame, as UDP would. States: open → closed (read end, error, peer removed, or transport disposed).
/// </summary>
internal sealed class TcpMediaConnection
{
    private readonly Socket _socket;
    private readonly PacketBufferPool _pool;
    private readonly Channel<(byte[] Buffer, int Length)> _outgoing;
    private IPacketSink? _sink;
    private int _closed;

    public TcpMediaConnection(Socket socket, PacketBufferPool pool, int sendQueueFrames)
    {
        _socket = socket;
        _pool = pool;
        _outgoing = Channel.CreateBounded<(byte[] Buffer, int Length)>(new BoundedChannelOptions(sendQueueFrames)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        Remote = new RemoteAddress((IPEndPoint)socket.RemoteEndPoint!, this);
    }

    /// <summary>This connection as an address (one instance for the connection's life; compare by reference semantics).</summary>
    public RemoteAddress Remote { get; }

    internal Socket Socket => _socket;

    /// <summary>The peer ICE routed this connection to, or null before a check validated.</summary>
    public IPacketSink? Sink
    {
        get => Volatile.Read(ref _sink);
        set => Volatile.Write(ref _sink, value);
    }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Largest packet a frame can carry here (a pooled buffer minus the length prefix).</summary>
    public int MaxPacketLength => _pool.BufferSize - 2;

    public bool TrySend(ReadOnlySpan<byte> packet)
    {
        if (IsClosed || packet.Length > MaxPacketLength || !_pool.TryRent(out var buffer))
        {
            return false;
        }
        BinaryPrimitives.WriteUInt16BigEndian(buffer, (ushort)packet.Length);
        packet.CopyTo(buffer.AsSpan(2));
        if (_outgoing.Writer.TryWrite((buffer, packet.Length + 2)))
        {
            return true;
        }
        _pool.Return(buffer);
        return false;
    }

    public async Task RunSendLoopAsync()
    {
        try
        {
            while (await _outgoing.Reader.WaitToReadAsync().ConfigureAwait(false))
            {
                while (_outgoing.Reader.TryRead(out var item))
                {
                    try
                    {
                        var sent = 0;
                        while (sent < item.Length)
                        {
                            sent += await _socket.SendAsync(item.Buffer.AsMemory(sent, item.Length - sent), SocketFlags.None).ConfigureAwait(false);
                        }
                    }
                    finally
                    {
                        _pool.Return(item.Buffer);
                    }
                }
            }
        }
        catch (SocketException)
        {
            Close();
        }
        catch (ObjectDisposedException)
        {
            Close();
        }
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }
        _outgoing.Writer.TryComplete();
        try
        {
            // A FIN rather than a reset, so the browser sees an orderly close.
            _socket.Shutdown(SocketShutdown.Both);
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }
        _socket.Dispose();
        while (_outgoing.Reader.TryRead(out var item))
        {
            _pool.Return(item.Buffer);
        }
    }
}
