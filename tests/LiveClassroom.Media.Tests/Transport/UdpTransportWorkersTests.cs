using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Stun;
using LiveClassroom.Media.Tests.Ice;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Transport;

/// <summary>Several SO_REUSEPORT sockets on one port (Workers): the kernel spreads peers, each peer keeps one socket.</summary>
public sealed class UdpTransportWorkersTests : IDisposable
{
    private const int Peers = 40;
    private const int PacketsPerPeer = 200;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private readonly UdpTransport _transport;
    private readonly List<(Socket Client, OrderPeer Peer, IceLiteAgent Agent, IceCredentials Credentials)> _peers = [];

    public UdpTransportWorkersTests()
    {
        _transport = new UdpTransport(new UdpTransportOptions { BindAddress = IPAddress.Loopback, Port = 0, BufferPoolCapacity = 16, Workers = 2 });
        _transport.Start();
        for (var i = 0; i < Peers; i++)
        {
            var credentials = new IceCredentials($"w{i:D3}", $"workerpeerpassword{i:D6}");
            var peer = new OrderPeer();
            var agent = new IceLiteAgent(_transport, peer, TimeProvider.System, credentials);
            peer.Agent = agent;
            var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = (int)Deadline.TotalMilliseconds };
            client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _peers.Add((client, peer, agent, credentials));
        }
    }

    public void Dispose()
    {
        foreach (var (client, _, agent, _) in _peers)
        {
            client.Dispose();
            agent.Dispose();
        }
        _transport.Dispose();
    }

    /// <summary>A check, and the response's source address (what the browser compares with the candidate it checked).</summary>
    private static (StunMessageType Type, EndPoint From) Check(Socket client, IceCredentials credentials, EndPoint to)
    {
        client.SendTo(StunChecks.Request($"{credentials.Ufrag}:brws", credentials.Password, useCandidate: true), to);
        var buffer = new byte[1500];
        EndPoint from = new IPEndPoint(IPAddress.Any, 0);
        var n = client.ReceiveFrom(buffer, ref from); // bounded by ReceiveTimeout
        Assert.Equal(StunParseError.None, StunMessage.TryParse(buffer.AsSpan(0, n), out var response));
        return (response.Type, from);
    }

    [Fact]
    public void Start_TwoWorkers_TwoSocketsShareThePort()
    {
        Assert.Equal(2, _transport.Workers);
        Assert.Equal(2, _transport.Counters.Workers);
        Assert.NotEqual(0, _transport.LocalEndPoint.Port);
    }

    [Fact]
    public void Receive_ManyPeers_SpreadOverWorkersAndEveryPeerGetsItsPacketsInOrder()
    {
        var to = _transport.LocalEndPoint;
        foreach (var (client, _, agent, credentials) in _peers)
        {
            var (type, from) = Check(client, credentials, to);
            Assert.Equal(StunMessageType.BindingSuccessResponse, type);
            // Whichever socket of the group answered, the reply leaves from the port the peer talks to.
            Assert.Equal(to, from);
            Assert.True(agent.IsNominated);
        }

        var packet = new byte[] { 0x80, 96, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0xAA, 0xBB };
        for (var seq = 0; seq < PacketsPerPeer; seq++)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)seq);
            foreach (var (client, _, _, _) in _peers)
            {
                client.SendTo(packet, to);
            }
            if (seq % 20 == 19)
            {
                // A breath for the receive threads on a loaded machine (loopback drops rather than blocks).
                Thread.Yield();
            }
        }

        Assert.True(SpinWait.SpinUntil(() => _peers.All(p => p.Peer.Rtp == PacketsPerPeer), Deadline),
            $"delivered {string.Join(',', _peers.Select(p => p.Peer.Rtp))}; drops {_transport.Counters.TotalDropped}");
        Assert.All(_peers, p => Assert.Equal(0, p.Peer.OutOfOrder));
        // 40 peers, two sockets: every peer on one socket has odds of 2^-39.
        Assert.True(_transport.Counters.WorkerPackets(0) > 0, "worker 0 received nothing");
        Assert.True(_transport.Counters.WorkerPackets(1) > 0, "worker 1 received nothing");
        Assert.Equal(_transport.Counters.PacketsReceived, _transport.Counters.WorkerPackets(0) + _transport.Counters.WorkerPackets(1));
        Assert.Equal(Peers, _transport.RouteCount);
    }

    [Fact]
    public void Receive_BurstQueuedWhileItsSinkIsBusy_ReachesTheSinkInBatchesInArrivalOrder()
    {
        var to = _transport.LocalEndPoint;
        var (client, peer, _, credentials) = _peers[0];
        Assert.Equal(StunMessageType.BindingSuccessResponse, Check(client, credentials, to).Type);
        var packet = new byte[] { 0x80, 96, 0, 0, 0, 0, 0, 1, 0, 0, 0, 9, 0xAA, 0xBB };
        const int Burst = 40;
        lock (peer)
        {
            // The worker takes the first datagram and waits for the sink (held here) while the rest queue on its socket.
            var received = _transport.Counters.PacketsReceived;
            client.SendTo(packet, to);
            Assert.True(SpinWait.SpinUntil(() => _transport.Counters.PacketsReceived > received, Deadline));
            for (var seq = 1; seq < Burst; seq++)
            {
                BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), (ushort)seq);
                client.SendTo(packet, to);
            }
        }

        Assert.True(SpinWait.SpinUntil(() => peer.Rtp == Burst, Deadline), $"delivered {peer.Rtp}; drops {_transport.Counters.TotalDropped}");
        Assert.Equal(0, peer.OutOfOrder);
        // What waited on the socket came in batches, none larger than a batch holds.
        Assert.InRange(peer.LargestBatch, 2, new UdpTransportOptions().ReceiveBatch);
    }

    [Fact]
    public void ConsentCheck_AfterMedia_AnsweredFromTheSharedPort()
    {
        var to = _transport.LocalEndPoint;
        foreach (var (client, _, _, credentials) in _peers)
        {
            Assert.Equal(StunMessageType.BindingSuccessResponse, Check(client, credentials, to).Type);
        }
        // RFC 7675 consent refresh on the selected pair: routed by address now, still answered from the shared port.
        foreach (var (client, _, _, credentials) in _peers)
        {
            var (type, from) = Check(client, credentials, to);
            Assert.Equal(StunMessageType.BindingSuccessResponse, type);
            Assert.Equal(to, from);
        }
    }

    [Fact]
    public void Start_FixedPortHeldByAnotherSocket_Fails()
    {
        using var holder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        holder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var port = ((IPEndPoint)holder.LocalEndPoint!).Port;
        using var transport = new UdpTransport(new UdpTransportOptions { BindAddress = IPAddress.Loopback, Port = port, BufferPoolCapacity = 16, Workers = 2 });

        Assert.Throws<SocketException>(transport.Start);
    }

    /// <summary>STUN to its agent; RTP sequence numbers checked for order (the sink sees one packet at a time).</summary>
    private sealed class OrderPeer : IPacketSink
    {
        private int _rtp;
        private int _last = -1;
        private int _outOfOrder;

        public IceLiteAgent? Agent { get; set; }

        public int Rtp => Volatile.Read(ref _rtp);

        public int OutOfOrder => Volatile.Read(ref _outOfOrder);

        public int LargestBatch { get; private set; }

        public void OnStun(Span<byte> packet, RemoteAddress remote) => Agent?.HandleStun(packet, remote);

        public void OnDtls(Span<byte> packet, RemoteAddress remote)
        {
        }

        public void OnRtp(Span<byte> packet, RemoteAddress remote)
        {
            int seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
            if (seq <= _last)
            {
                Interlocked.Increment(ref _outOfOrder);
            }
            _last = seq;
            Interlocked.Increment(ref _rtp);
        }

        public void OnRtcp(Span<byte> packet, RemoteAddress remote)
        {
        }

        public void OnRtpBatch(DatagramBatch batch, int start, int count, RemoteAddress remote)
        {
            LargestBatch = Math.Max(LargestBatch, count);
            for (var i = start; i < start + count; i++)
            {
                OnRtp(batch.Packet(i), remote);
            }
        }
    }
}
