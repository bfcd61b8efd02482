using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Stun;
using LiveClassroom.Media.Tests.Ice;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Transport;

/// <summary>
/// A transport bound to 0.0.0.0 advertising loopback and this machine's LAN address, as a server does: a check sent to
/// one address from the other must be answered from the address it was sent to (RFC 8445 §7.2.5.2.1), not from the
/// source the kernel's route back would pick.
/// </summary>
public class UdpTransportLocalAddressTests : IDisposable
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);
    private static readonly IceCredentials Local = new("udpL", "udplocaladdresspassword1");

    // Without a LAN address (a namespace with only lo) both ends are loopback: the test still checks the plain path.
    private static readonly IPAddress Lan = FirstLanAddress() ?? IPAddress.Loopback;

    private readonly UdpTransport _transport;
    private readonly AgentPeer _peer = new();
    private readonly IceLiteAgent _agent;

    public UdpTransportLocalAddressTests()
        : this(workers: 1)
    {
    }

    protected UdpTransportLocalAddressTests(int workers)
    {
        _transport = new UdpTransport(new UdpTransportOptions
        {
            Workers = workers,
            BindAddress = IPAddress.Any,
            Port = 0,
            AdvertisedAddresses = [IPAddress.Loopback, Lan],
            BufferPoolCapacity = 16,
        });
        _transport.Start();
        _agent = new IceLiteAgent(_transport, _peer, TimeProvider.System, Local);
        _peer.Agent = _agent;
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _agent.Dispose();
            _transport.Dispose();
        }
    }

    [Fact]
    public void Check_ToLoopbackFromLanAddress_AnsweredFromLoopback()
    {
        var answeredFrom = CheckAndReadResponseSource(from: Lan, to: IPAddress.Loopback);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, _transport.LocalEndPoint.Port), answeredFrom);
    }

    [Fact]
    public void Check_ToLanAddressFromLoopback_AnsweredFromLanAddress()
    {
        var answeredFrom = CheckAndReadResponseSource(from: IPAddress.Loopback, to: Lan);

        Assert.Equal(new IPEndPoint(Lan, _transport.LocalEndPoint.Port), answeredFrom);
    }

    [Fact]
    public void Media_AfterCheckOnLoopback_RoutedToThePeer()
    {
        using var client = Client(Lan);
        var server = new IPEndPoint(IPAddress.Loopback, _transport.LocalEndPoint.Port);
        client.SendTo(StunChecks.Request("udpL:brws", Local.Password, useCandidate: true), server);
        Assert.Equal(StunMessageType.BindingSuccessResponse, ReadResponse(client, out _));

        client.SendTo(new byte[] { 22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }, server);

        Assert.True(SpinWait.SpinUntil(() => _peer.Dtls == 1, Deadline));
        Assert.True(_agent.IsNominated);
    }

    private IPEndPoint CheckAndReadResponseSource(IPAddress from, IPAddress to)
    {
        using var client = Client(from);
        client.SendTo(StunChecks.Request("udpL:brws", Local.Password), new IPEndPoint(to, _transport.LocalEndPoint.Port));
        Assert.Equal(StunMessageType.BindingSuccessResponse, ReadResponse(client, out var source));
        return source;
    }

    private static Socket Client(IPAddress bind)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp) { ReceiveTimeout = (int)Deadline.TotalMilliseconds };
        socket.Bind(new IPEndPoint(bind, 0));
        return socket;
    }

    private static StunMessageType ReadResponse(Socket client, out IPEndPoint source)
    {
        var buffer = new byte[1500];
        EndPoint remote = new IPEndPoint(IPAddress.Any, 0);
        var n = client.ReceiveFrom(buffer, ref remote); // bounded by ReceiveTimeout
        source = (IPEndPoint)remote;
        Assert.Equal(StunParseError.None, StunMessage.TryParse(buffer.AsSpan(0, n), out var response));
        return response.Type;
    }

    private static IPAddress? FirstLanAddress()
    {
        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }
            foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
            {
                if (unicast.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(unicast.Address))
                {
                    return unicast.Address;
                }
            }
        }
        return null;
    }
}

/// <summary>The same with two SO_REUSEPORT sockets per binding: each local address's group answers from its address.</summary>
public sealed class UdpTransportLocalAddressTwoWorkersTests : UdpTransportLocalAddressTests
{
    public UdpTransportLocalAddressTwoWorkersTests()
        : base(workers: 2)
    {
    }
}
