using System.Net;
using System.Net.Sockets;
using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Stun;
using LiveClassroom.Media.Tests.Ice;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Transport;

public sealed class UdpTransportTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly IceCredentials Local = new("udpT", "udptransportpassword0123");

    private readonly UdpTransport _transport;
    private readonly AgentPeer _peer = new();
    private readonly IceLiteAgent _agent;
    private readonly Socket _client;

    public UdpTransportTests()
    {
        _transport = new UdpTransport(new UdpTransportOptions { BindAddress = IPAddress.Loopback, Port = 0, BufferPoolCapacity = 16 });
        _transport.Start();
        _agent = new IceLiteAgent(_transport, _peer, TimeProvider.System, Local);
        _peer.Agent = _agent;
        _client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = (int)Deadline.TotalMilliseconds };
        _client.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    }

    public void Dispose()
    {
        _client.Dispose();
        _agent.Dispose();
        _transport.Dispose();
    }

    private StunMessageType CheckAndReadResponseType(bool useCandidate = false)
    {
        _client.SendTo(StunChecks.Request("udpT:brws", Local.Password, useCandidate), _transport.LocalEndPoint);
        var buffer = new byte[1500];
        var n = _client.Receive(buffer); // bounded by ReceiveTimeout
        Assert.Equal(StunParseError.None, StunMessage.TryParse(buffer.AsSpan(0, n), out var response));
        Assert.True(response.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(_client.LocalEndPoint, mapped);
        return response.Type;
    }

    [Fact]
    public void Receive_CheckFromNewAddress_RoutesByUfragThenByAddress()
    {
        Assert.Equal(StunMessageType.BindingSuccessResponse, CheckAndReadResponseType(useCandidate: true));
        Assert.True(_agent.IsNominated);

        _client.SendTo(new byte[] { 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xAA }, _transport.LocalEndPoint);
        _client.SendTo(new byte[] { 0x80, 200, 0, 1, 0, 0, 0, 9 }, _transport.LocalEndPoint);
        _client.SendTo(new byte[] { 22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, _transport.LocalEndPoint);

        Assert.True(SpinWait.SpinUntil(() => _peer.Rtp == 1 && _peer.Rtcp == 1 && _peer.Dtls == 1, Deadline));
        Assert.Equal(1, _transport.RouteCount);
        Assert.Equal(1, _transport.Counters.Delivered(PacketKind.Rtp));
        Assert.Equal(1, _transport.Counters.Delivered(PacketKind.Stun));
    }

    [Fact]
    public void Receive_Garbage_IsCountedPerReasonAndValidCheckStillAnswered()
    {
        var to = _transport.LocalEndPoint;
        var random = new Random(1234);
        // Media from an address ICE never validated.
        _client.SendTo(new byte[] { 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xAA }, to);
        _client.SendTo(new byte[] { 22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, to);
        // Too short, unknown first byte, ZRTP/TURN channel.
        _client.SendTo(new byte[] { 0x80 }, to);
        _client.SendTo(new byte[] { 0x80, 96, 0 }, to);
        _client.SendTo(new byte[] { 0xFF, 0xFF, 0xFF, 0xFF }, to);
        _client.SendTo(new byte[] { 70, 1, 2, 3, 4, 5 }, to);
        // STUN-looking junk, STUN without USERNAME, STUN for a ufrag nobody registered.
        var junk = new byte[40];
        random.NextBytes(junk);
        junk[0] = 0x00;
        _client.SendTo(junk, to);
        var noUser = new byte[20];
        var w = new StunMessageWriter(noUser, StunMessageType.BindingRequest, new byte[12]);
        _client.SendTo(noUser.AsSpan(0, w.Length).ToArray(), to);
        _client.SendTo(StunChecks.Request("nobody:brws", Local.Password), to);

        Assert.True(SpinWait.SpinUntil(() => _transport.Counters.TotalDropped == 9, Deadline));
        Assert.Equal(2, _transport.Counters.Dropped(TransportDropReason.UnknownAddress));
        Assert.Equal(2, _transport.Counters.Dropped(TransportDropReason.TooShort));
        Assert.Equal(1, _transport.Counters.Dropped(TransportDropReason.UnknownFirstByte));
        Assert.Equal(1, _transport.Counters.Dropped(TransportDropReason.UnsupportedProtocol));
        Assert.Equal(1, _transport.Counters.Dropped(TransportDropReason.MalformedStun));
        Assert.Equal(1, _transport.Counters.Dropped(TransportDropReason.StunWithoutUsername));
        Assert.Equal(1, _transport.Counters.Dropped(TransportDropReason.UnknownUfrag));
        Assert.Equal(0, _peer.Rtp + _peer.Dtls);

        Assert.Equal(StunMessageType.BindingSuccessResponse, CheckAndReadResponseType());
    }

    [Fact]
    public void Receive_ManyRandomDatagrams_NeverStopsTheLoop()
    {
        var to = _transport.LocalEndPoint;
        var random = new Random(42);
        var datagram = new byte[200];
        const int Count = 2000;
        for (var i = 0; i < Count; i++)
        {
            var length = random.Next(1, datagram.Length);
            random.NextBytes(datagram.AsSpan(0, length));
            _client.SendTo(datagram.AsSpan(0, length), SocketFlags.None, to);
        }

        // Loopback UDP may drop under load; wait until the transport has seen what it will see, then check it still works.
        Assert.True(SpinWait.SpinUntil(() => _transport.Counters.PacketsReceived > 0, Deadline));
        Assert.Equal(StunMessageType.BindingSuccessResponse, CheckAndReadResponseType());
        Assert.Equal(0, _transport.Counters.Dropped(TransportDropReason.SinkError));
        Assert.True(_transport.Counters.TotalDropped > 0);
    }

    [Fact]
    public void Dispose_StopsReceiveThreadAndReturnsItsBuffer()
    {
        var transport = new UdpTransport(new UdpTransportOptions { BindAddress = IPAddress.Loopback, BufferPoolCapacity = 4 });
        transport.Start();
        Assert.Equal(3, transport.BufferPool.Available);

        transport.Dispose();

        Assert.Equal(4, transport.BufferPool.Available);
    }

    [Fact]
    public void Receive_CheckForOtherPeerFromRoutedAddress_GoesByUfragAndMovesRoute()
    {
        Assert.Equal(StunMessageType.BindingSuccessResponse, CheckAndReadResponseType());
        var other = new AgentPeer();
        var otherCredentials = new IceCredentials("othr", "otherpeerpassword0123456");
        using var otherAgent = new IceLiteAgent(_transport, other, TimeProvider.System, otherCredentials);
        other.Agent = otherAgent;

        _client.SendTo(StunChecks.Request("othr:brws", otherCredentials.Password, useCandidate: true), _transport.LocalEndPoint);
        var buffer = new byte[1500];
        var n = _client.Receive(buffer);
        Assert.Equal(StunParseError.None, StunMessage.TryParse(buffer.AsSpan(0, n), out var response));
        Assert.Equal(StunMessageType.BindingSuccessResponse, response.Type);
        _client.SendTo(new byte[] { 0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xAA }, _transport.LocalEndPoint);

        Assert.True(SpinWait.SpinUntil(() => other.Rtp == 1, Deadline));
        Assert.Equal(0, _peer.Rtp);
        Assert.True(otherAgent.IsNominated);
    }
}
