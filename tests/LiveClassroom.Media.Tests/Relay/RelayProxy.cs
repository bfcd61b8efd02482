using System.Net;
using System.Net.Sockets;

namespace LiveClassroom.Media.Tests.Relay;

/// <summary>
/// A UDP hop between two relay sockets that can lose chosen datagrams: the origin sends to it, it forwards to the edge,
/// and the edge's answers (sent to the origin's socket directly) do not pass through it.
/// </summary>
internal sealed class RelayProxy : IDisposable
{
    private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly IPEndPoint _target;
    private readonly Thread _thread;
    private int _rtpSeen;

    public RelayProxy(IPEndPoint target)
    {
        _target = target;
        _socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _thread = new Thread(Run) { IsBackground = true };
        _thread.Start();
    }

    public IPEndPoint EndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Relayed RTP datagrams (type byte 1) by their arrival number from 1 that are lost on the hop.</summary>
    public HashSet<int> DropRtp { get; } = [];

    public int Dropped;

    /// <summary>Every datagram is lost while set: the origin behind the proxy stalls (or the path between the nodes is down).</summary>
    public volatile bool Blocked;

    private void Run()
    {
        var buffer = new byte[2048];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            int length;
            try
            {
                length = _socket.ReceiveFrom(buffer, ref from);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            if (Blocked)
            {
                Interlocked.Increment(ref Dropped);
                continue;
            }
            if (length > 4 && buffer[3] == 1)
            {
                var n = Interlocked.Increment(ref _rtpSeen);
                lock (DropRtp)
                {
                    if (DropRtp.Contains(n))
                    {
                        Interlocked.Increment(ref Dropped);
                        continue;
                    }
                }
            }
            try
            {
                _socket.SendTo(buffer.AsSpan(0, length), SocketFlags.None, _target);
            }
            catch (ObjectDisposedException)
            {
                // Disposed between the receive and the send (the test ended): an unhandled throw here kills the test host.
                return;
            }
            catch (SocketException)
            {
                continue;
            }
        }
    }

    public void Dispose()
    {
        _socket.Dispose();
        _thread.Join(TimeSpan.FromSeconds(2));
    }
}
