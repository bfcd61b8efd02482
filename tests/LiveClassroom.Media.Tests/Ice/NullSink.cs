using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Ice;

internal sealed class NullSink : IPacketSink
{
    public void OnStun(Span<byte> packet, RemoteAddress remote)
    {
    }

    public void OnDtls(Span<byte> packet, RemoteAddress remote)
    {
    }

    public void OnRtp(Span<byte> packet, RemoteAddress remote)
    {
    }

    public void OnRtcp(Span<byte> packet, RemoteAddress remote)
    {
    }
}
