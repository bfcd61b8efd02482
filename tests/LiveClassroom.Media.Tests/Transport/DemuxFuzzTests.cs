using System.Net;
using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Tests.Ice;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Transport;

public sealed class DemuxFuzzTests
{
    [Fact]
    public void Dispatch_100kMalformedDatagrams_NeverThrowsAndCountsEveryDrop()
    {
        using var transport = new UdpTransport(new UdpTransportOptions { BindAddress = IPAddress.Loopback, BufferPoolCapacity = 4 });
        var peer = new AgentPeer();
        var local = new IceCredentials("dmxU", "demuxpassword01234567890");
        using var agent = new IceLiteAgent(transport, peer, TimeProvider.System, local);
        peer.Agent = agent;
        var known = new RemoteAddress(new IPEndPoint(IPAddress.Loopback, 4000));
        var unknown = new RemoteAddress(new IPEndPoint(IPAddress.Loopback, 4001));
        transport.AddRoute(known, peer);
        byte[][] samples =
        [
            StunChecks.Request("dmxU:b", local.Password),
            [0x80, 96, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9, 1, 2, 3],
            [0x80, 200, 0, 1, 0, 0, 0, 9],
            [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2],
        ];
        var inputs = 0;
        var kinds = new int[8];

        FuzzInputs.Run(6, 100_000, samples, (buffer, length) =>
        {
            inputs++;
            kinds[(int)PacketClassifier.Classify(buffer.AsSpan(0, length))]++;
            transport.Dispatch(buffer.AsSpan(0, length), (inputs & 1) == 0 ? known.SocketAddress : unknown.SocketAddress);
            // A fuzzed check can be a valid one and validate the "unknown" address; keep it unknown.
            transport.RemoveRoute(unknown);
        });

        Assert.Equal(0, transport.Counters.Dropped(TransportDropReason.SinkError));
        Assert.True(transport.Counters.Dropped(TransportDropReason.UnknownAddress) > 1_000);
        Assert.True(transport.Counters.Dropped(TransportDropReason.TooShort) > 0);
        Assert.True(transport.Counters.Dropped(TransportDropReason.UnknownFirstByte) > 1_000);
        Assert.True(peer.Rtp > 1_000 && peer.Rtcp > 100 && peer.Dtls > 100);
        Assert.True(kinds[(int)PacketKind.Stun] > 1_000);
    }
}
