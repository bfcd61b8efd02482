using System.Net;
using LiveClassroom.Media.Relay;

namespace LiveClassroom.Media;

/// <summary>
/// Server-to-server media relay for a class spread over several nodes (a cascade). The origin node, where a publisher
/// sends, feeds an edge node's room of the same id with that publisher's tracks: every simulcast layer as the publisher
/// sent it (same SSRCs, sequence numbers, payload), so the edge's subscribers still get their own layer; the edge asks
/// the origin for lost packets (NACK, answered from the origin's cache) and keyframes (PLI) as if the origin were the
/// publisher. The publisher's own connection is not touched.
/// Transport: plain UDP between the nodes' relay ports, each datagram sealed with AES-128-GCM under the link's key (given
/// to both ends by whoever opens the link), with a replay window; no ICE or DTLS, since the nodes reach each other directly.
/// Thread-safe.
/// </summary>
public sealed class MediaRelay : IDisposable
{
    private readonly MediaServer _server;
    private readonly RelaySocket _socket;

    public MediaRelay(MediaServer server, MediaRelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(options);
        _server = server;
        _socket = new RelaySocket(options.BindAddress, options.Port, options.Time);
    }

    /// <summary>The bound relay endpoint (useful with port 0).</summary>
    public IPEndPoint LocalEndPoint => _socket.LocalEndPoint;

    /// <summary>Datagrams dropped: unknown link, failed authentication, replay.</summary>
    public long DroppedDatagrams => _socket.Dropped;

    /// <summary>
    /// Origin: feeds <paramref name="edge"/> (its relay endpoint) the tracks of <paramref name="publisherPeerIds"/> in
    /// room <paramref name="roomId"/>. Calling it again for an open link only changes the publishers it carries.
    /// </summary>
    /// <exception cref="KeyNotFoundException">No such room on this node.</exception>
    public void Feed(string roomId, uint linkId, ReadOnlySpan<byte> key, IPEndPoint edge, IEnumerable<string> publisherPeerIds)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        ArgumentNullException.ThrowIfNull(edge);
        ArgumentNullException.ThrowIfNull(publisherPeerIds);
        if (_socket.TryGet(linkId, out var open) && open is RelayOriginLink origin && origin.Room.Id == roomId && origin.RemoteEndPoint.Equals(edge))
        {
            origin.SetPublishers(publisherPeerIds);
            return;
        }
        _socket.Remove(linkId);
        var room = _server.GetRoom(roomId)?.Engine ?? throw new KeyNotFoundException($"no media room {roomId} on this node");
        _socket.Add(linkId, new RelayOriginLink(_socket, room, linkId, key, edge, publisherPeerIds));
    }

    /// <summary>
    /// Edge: takes what <paramref name="origin"/> (its relay endpoint) feeds for room <paramref name="roomId"/> (created
    /// here if needed) and publishes it there under the publishers' own peer ids. Idempotent for an open link.
    /// </summary>
    public void Receive(string roomId, uint linkId, ReadOnlySpan<byte> key, IPEndPoint origin)
    {
        ArgumentException.ThrowIfNullOrEmpty(roomId);
        ArgumentNullException.ThrowIfNull(origin);
        if (_socket.TryGet(linkId, out var open) && open is RelayEdgeLink && open.Room.Id == roomId && open.RemoteEndPoint.Equals(origin))
        {
            return;
        }
        _socket.Remove(linkId);
        var room = _server.CreateRoom(roomId).Engine;
        _socket.Add(linkId, new RelayEdgeLink(_socket, room, linkId, key, origin));
    }

    /// <summary>Closes a link (either end); an edge's stand-in publishers leave its room. False if it was not open.</summary>
    public bool Close(uint linkId) => _socket.Remove(linkId);

    /// <summary>
    /// How long the other end of an open link has been silent (it sends at least a heartbeat four times a second, a
    /// suspended link too), or null when the link is not open here. An origin reads a dead edge node from this within a
    /// second or two, long before the cluster declares the node dead. Time this node itself did not run (a stall of its
    /// own) is not counted: the other end's datagrams of that time are unread, not missing.
    /// </summary>
    public TimeSpan? Silence(uint linkId) =>
        _socket.TryGet(linkId, out var link) ? TimeSpan.FromMilliseconds(_socket.SilenceMillis(link)) : null;

    /// <summary>Times this node found itself stalled past <c>RelaySocket.StallLimit</c> (its relay timer did not run).</summary>
    public long Stalls => _socket.Stalls;

    /// <summary>Rounds of the relay timer (tests wait for one after moving a manual clock).</summary>
    internal long TimerRounds => _socket.TimerRounds;

    public IReadOnlyList<MediaRelayLinkStats> GetStats()
    {
        var result = new List<MediaRelayLinkStats>();
        foreach (var link in _socket.Links)
        {
            result.Add(new MediaRelayLinkStats(link.Cipher.LinkId, link.Room.Id, link.IsOrigin, Interlocked.Read(ref link.PacketsSent),
                Interlocked.Read(ref link.BytesSent), Interlocked.Read(ref link.PacketsReceived), Interlocked.Read(ref link.Retransmissions),
                _socket.SilenceMillis(link), link.Cipher.AuthenticationFailures, link.Cipher.ReplaysRejected)
            {
                Suspended = link.Suspended,
                Suspensions = Interlocked.Read(ref link.Suspensions),
            });
        }
        return result;
    }

    public void Dispose() => _socket.Dispose();
}
