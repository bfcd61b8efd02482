using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Transport;

/// <summary>A subscriber's burst in one sendmmsg(2): every datagram arrives, whole, in the order it was queued.</summary>
public sealed class UdpTransportSendManyTests : IDisposable
{
    private readonly UdpTransport _transport = new(new UdpTransportOptions { BindAddress = IPAddress.Loopback, Port = 0, BufferPoolCapacity = 16, Workers = 2 });
    private readonly Socket _receiver = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = 10_000 };

    public UdpTransportSendManyTests()
    {
        _transport.Start();
        _receiver.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public void Dispose()
    {
        _receiver.Dispose();
        _transport.Dispose();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void SendMany_FullQueue_EveryDatagramArrivesWholeInOrderFromTheSharedPort(int sendSocket)
    {
        UdpTransport.UseSendSocket(sendSocket);
        var remote = new RemoteAddress((IPEndPoint)_receiver.LocalEndPoint!);
        var queue = new DatagramSendQueue();
        for (var i = 0; i < DatagramSendQueue.Capacity; i++)
        {
            // Lengths differ (100 … 1,600 bytes) so a datagram cut or joined to another shows.
            var length = 100 + (i * 100);
            var next = queue.Next;
            next[..length].Fill((byte)(0xA0 + i));
            BinaryPrimitives.WriteInt32BigEndian(next, i);
            queue.Commit(length);
        }
        var sentBefore = _transport.Counters.PacketsSent;

        var sent = _transport.SendMany(queue, remote);

        Assert.Equal(DatagramSendQueue.Capacity, sent);
        Assert.Equal(0, queue.Count);
        Assert.Equal(DatagramSendQueue.Capacity, _transport.Counters.PacketsSent - sentBefore);
        var buffer = new byte[2048];
        for (var i = 0; i < DatagramSendQueue.Capacity; i++)
        {
            EndPoint from = new IPEndPoint(IPAddress.Any, 0);
            var n = _receiver.ReceiveFrom(buffer, ref from);
            Assert.Equal(100 + (i * 100), n);
            Assert.Equal(i, BinaryPrimitives.ReadInt32BigEndian(buffer));
            Assert.All(buffer.AsSpan(4, n - 4).ToArray(), b => Assert.Equal((byte)(0xA0 + i), b));
            Assert.Equal(_transport.LocalEndPoint.Port, ((IPEndPoint)from).Port);
        }
    }
}
