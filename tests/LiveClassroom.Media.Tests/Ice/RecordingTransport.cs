using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Ice;

/// <summary>An in-memory IMediaTransport: records sends, routes and ufrags so agent behaviour can be asserted.</summary>
internal sealed class RecordingTransport : IMediaTransport
{
    public List<(byte[] Packet, RemoteAddress Remote)> Sent { get; } = [];

    public Dictionary<string, IPacketSink> Ufrags { get; } = [];

    public Dictionary<RemoteAddress, IPacketSink> Routes { get; } = [];

    public bool Send(ReadOnlySpan<byte> packet, RemoteAddress remote)
    {
        Sent.Add((packet.ToArray(), remote));
        return true;
    }

    public bool TryRegisterUfrag(string localUfrag, IPacketSink sink) => Ufrags.TryAdd(localUfrag, sink);

    public void UnregisterUfrag(string localUfrag) => Ufrags.Remove(localUfrag);

    public void AddRoute(RemoteAddress remote, IPacketSink sink) => Routes[remote] = sink;

    public void RemoveRoute(RemoteAddress remote) => Routes.Remove(remote);

    public void RemoveSink(IPacketSink sink)
    {
        foreach (var key in Routes.Where(p => p.Value == sink).Select(p => p.Key).ToList())
        {
            Routes.Remove(key);
        }
    }
}
