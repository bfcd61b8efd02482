using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Stun;
using LiveClassroom.Media.Tests.Ice;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Transport;

public sealed class UdpTransportTcpTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly IceCredentials Local = new("tcpT", "tcptransportpassword0123");

    private readonly UdpTransport _transport;
    private readonly AgentPeer _peer = new();
    private readonly IceLiteAgent _agent;

    public UdpTransportTcpTests()
    {
        _transport = new UdpTransport(new UdpTransportOptions
        {
            BindAddress = IPAddress.Loopback,
            TcpPort = 0,
            BufferPoolCapacity = 32,
            TcpUnroutedTimeout = TimeSpan.FromSeconds(2), // short for the timeout test, long enough for a loaded machine to finish a check
        });
        _transport.Start();
        _agent = new IceLiteAgent(_transport, _peer, TimeProvider.System, Local);
        _peer.Agent = _agent;
    }

    public void Dispose()
    {
        _agent.Dispose();
        _transport.Dispose();
    }

    private Socket Connect()
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveTimeout = (int)Deadline.TotalMilliseconds };
        client.Connect(_transport.TcpLocalEndPoint!);
        return client;
    }

    private static void SendFrame(Socket socket, ReadOnlySpan<byte> packet)
    {
        var frame = new byte[packet.Length + 2];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)packet.Length);
        packet.CopyTo(frame.AsSpan(2));
        socket.Send(frame);
    }

    private static byte[] ReadFrame(Socket socket)
    {
        var header = ReadExactly(socket, 2);
        return ReadExactly(socket, BinaryPrimitives.ReadUInt16BigEndian(header));
    }

    private static byte[] ReadExactly(Socket socket, int count)
    {
        var data = new byte[count];
        var got = 0;
        while (got < count)
        {
            var n = socket.Receive(data, got, count - got, SocketFlags.None); // bounded by ReceiveTimeout
            Assert.True(n > 0, "connection closed");
            got += n;
        }
        return data;
    }

    [Fact]
    public void Start_TcpPortZero_ListensOnTheUdpPortNumber()
    {
        Assert.Equal(_transport.LocalEndPoint.Port, _transport.TcpLocalEndPoint!.Port);
    }

    [Fact]
    public void Start_TcpPortZeroAndThatNumberTaken_FallsBackToAnotherPort()
    {
        using var squatter = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        squatter.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        squatter.Listen(1);
        var taken = ((IPEndPoint)squatter.LocalEndPoint!).Port;
        using var transport = new UdpTransport(new UdpTransportOptions { BindAddress = IPAddress.Loopback, Port = taken, TcpPort = 0, BufferPoolCapacity = 8 });

        transport.Start();

        Assert.Equal(taken, transport.LocalEndPoint.Port);
        Assert.NotEqual(taken, transport.TcpLocalEndPoint!.Port);
    }

    [Fact]
    public void Tcp_CheckThenMedia_AnsweredRoutedAndSentBackFramed()
    {
        using var client = Connect();

        SendFrame(client, StunChecks.Request("tcpT:brws", Local.Password, useCandidate: true));
        var response = ReadFrame(client);

        Assert.Equal(StunParseError.None, StunMessage.TryParse(response, out var message));
        Assert.Equal(StunMessageType.BindingSuccessResponse, message.Type);
        Assert.True(message.TryGetXorMappedAddress(out var mapped));
        Assert.Equal(client.LocalEndPoint, mapped);
        Assert.True(_agent.SelectedAddress!.IsTcp);

        SendFrame(client, [0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xAA]);
        Assert.True(SpinWait.SpinUntil(() => _peer.Rtp == 1, Deadline));

        byte[] media = [0x80, 96, 0, 2, 0, 0, 0, 2, 0, 0, 0, 7, 1, 2, 3];
        Assert.True(_transport.Send(media, _agent.SelectedAddress));
        Assert.Equal(media, ReadFrame(client));
    }

    [Fact]
    public void Tcp_OversizedFrame_IsSkippedAndConnectionStaysUsable()
    {
        using var client = Connect();
        var junk = new byte[5000];
        new Random(7).NextBytes(junk);

        SendFrame(client, junk);
        SendFrame(client, StunChecks.Request("tcpT:brws", Local.Password));

        Assert.Equal(StunParseError.None, StunMessage.TryParse(ReadFrame(client), out var message));
        Assert.Equal(StunMessageType.BindingSuccessResponse, message.Type);
        Assert.Equal(1, _transport.Counters.Dropped(TransportDropReason.TcpFrameTooLarge));
    }

    [Fact]
    public void Tcp_ConnectionWithoutValidCheck_IsClosedAfterTimeout()
    {
        using var client = Connect();
        SendFrame(client, [0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 0xAA]);

        var buffer = new byte[16];
        int n;
        try
        {
            n = client.Receive(buffer); // 0 when the transport closes the connection; bounded by ReceiveTimeout
        }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.ConnectionReset)
        {
            n = 0; // closed while its read was pending: also a close
        }

        Assert.Equal(0, n);
        Assert.Equal(1, _transport.Counters.Dropped(TransportDropReason.UnknownAddress));
        Assert.True(SpinWait.SpinUntil(() => _transport.TcpConnectionCount == 0, Deadline));
    }

    [Fact]
    public void RemoteAddress_TcpAndUdpWithSameEndPoint_AreDifferentPaths()
    {
        using var client = Connect();
        SendFrame(client, StunChecks.Request("tcpT:brws", Local.Password));
        ReadFrame(client);
        var tcp = _agent.SelectedAddress!;

        var udp = new RemoteAddress(tcp.EndPoint);

        Assert.NotEqual(tcp, udp);
        Assert.False(_agent.IsValidatedAddress(udp));
        Assert.True(_agent.IsValidatedAddress(tcp));
    }

    [Fact]
    public void Tcp_RandomByteStream_NeverBreaksTheTransport()
    {
        using (var noisy = Connect())
        {
            var random = new Random(99);
            var chunk = new byte[4096];
            for (var i = 0; i < 64; i++)
            {
                random.NextBytes(chunk);
                noisy.Send(chunk);
            }
        }
        using var client = Connect();

        SendFrame(client, StunChecks.Request("tcpT:brws", Local.Password));

        Assert.Equal(StunParseError.None, StunMessage.TryParse(ReadFrame(client), out var message));
        Assert.Equal(StunMessageType.BindingSuccessResponse, message.Type);
        Assert.Equal(0, _transport.Counters.Dropped(TransportDropReason.SinkError));
    }
}
