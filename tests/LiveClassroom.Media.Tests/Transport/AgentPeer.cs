using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Transport;

/// <summary>A minimal peer: STUN goes to its ICE agent, the rest is counted.</summary>
internal sealed class AgentPeer : IPacketSink
{
    private int _dtls;
    private int _rtp;
    private int _rtcp;

    public IceLiteAgent? Agent { get; set; }

    public int Dtls => Volatile.Read(ref _dtls);

    public int Rtp => Volatile.Read(ref _rtp);

    public int Rtcp => Volatile.Read(ref _rtcp);

    public void OnStun(Span<byte> packet, RemoteAddress remote) => Agent?.HandleStun(packet, remote);

    public void OnDtls(Span<byte> packet, RemoteAddress remote) => Interlocked.Increment(ref _dtls);

    public void OnRtp(Span<byte> packet, RemoteAddress remote) => Interlocked.Increment(ref _rtp);

    public void OnRtcp(Span<byte> packet, RemoteAddress remote) => Interlocked.Increment(ref _rtcp);
}
