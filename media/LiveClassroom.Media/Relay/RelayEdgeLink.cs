using System.Net;
using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Relay;

/// <summary>
/// The edge's end: publishes what the origin feeds through stand-in peers (one per fed publisher, same peer id) and
/// sends their NACK/PLI up. Open ⇄ Suspended (stand-ins removed; the next track table brings them back) → Disposed
/// (stand-ins removed). It heartbeats in both states. Messages arrive on the relay receive thread;
/// <see cref="SendRtcp"/> is called under the edge room's lock.
/// </summary>
internal sealed class RelayEdgeLink : RelayLink, IRelayUplink
{
    private readonly Dictionary<string, SfuPeer> _standIns = new(StringComparer.Ordinal);
    private readonly (SfuPeer Peer, string Mid, IReadOnlyList<string> Rids)?[] _byIndex = new (SfuPeer, string, IReadOnlyList<string>)?[256];
    private readonly byte[] _rtcpBuffer = new byte[1500 + RelayCipher.Overhead];
    private readonly byte[] _tickBuffer = new byte[RelayCipher.Overhead + 1];
    private readonly Lock _rtcpLock = new();

    public RelayEdgeLink(RelaySocket socket, SfuRoom room, uint linkId, ReadOnlySpan<byte> key, IPEndPoint origin)
        : base(socket, room, linkId, key, origin, isOrigin: false)
    {
    }

    public override bool IsOrigin => false;

    public bool SendRtcp(ReadOnlySpan<byte> rtcp)
    {
        if (rtcp.Length > 1500)
        {
            return false;
        }
        lock (_rtcpLock)
        {
            rtcp.CopyTo(_rtcpBuffer.AsSpan(RelayCipher.HeaderLength));
            SealAndSend(_rtcpBuffer, RelayMessageType.Rtcp, rtcp.Length);
        }
        return true;
    }

    public override void OnMessage(RelayMessageType type, Span<byte> body)
    {
        PacketsReceived++;
        if (type == RelayMessageType.Rtp && body.Length > 3)
        {
            if (_byIndex[body[0]] is not { } entry)
            {
                // Before the first Tracks message names the index: the edge asks for a keyframe once it can decode.
                Malformed++;
                return;
            }
            var layer = body[1];
            var rid = layer == 0xFF || layer >= entry.Rids.Count ? null : entry.Rids[layer];
            if (body[2] == 1)
            {
                Retransmissions++;
            }
            Room.OnRelayRtp(entry.Peer, entry.Mid, rid, body[3..], recovered: body[2] == 1);
        }
        else if (type == RelayMessageType.Tracks)
        {
            if (!RelayTrackTable.TryRead(body, out var tracks))
            {
                Malformed++;
                return;
            }
            Sync(tracks);
        }
    }

    private void Sync(List<(byte Index, RelayTrackInfo Track)> tracks)
    {
        var byPublisher = new Dictionary<string, List<RelayTrackInfo>>(StringComparer.Ordinal);
        foreach (var (_, t) in tracks)
        {
            if (!byPublisher.TryGetValue(t.PublisherId, out var list))
            {
                byPublisher[t.PublisherId] = list = [];
            }
            list.Add(t);
        }
        foreach (var (publisher, list) in byPublisher)
        {
            if (_standIns.TryGetValue(publisher, out var peer) && !peer.Gone)
            {
                Room.SyncRelayTracks(peer, list);
                continue;
            }
            try
            {
                // A stand-in of an older link (its origin died) is taken over with its routes; see AddRelayPeer.
                peer = Room.AddRelayPeer(publisher, this, list);
            }
            catch (Exception ex) when (ex is InvalidOperationException or ObjectDisposedException)
            {
                // The publisher itself is on this node, a newer link relays it in (or the room closed): nothing to relay in.
                _standIns.Remove(publisher);
                continue;
            }
            _standIns[publisher] = peer;
        }
        foreach (var (publisher, peer) in _standIns.ToList())
        {
            if (!byPublisher.ContainsKey(publisher))
            {
                Room.RemoveRelayPeer(peer);
                _standIns.Remove(publisher);
            }
        }
        Array.Clear(_byIndex);
        foreach (var (index, t) in tracks)
        {
            if (_standIns.TryGetValue(t.PublisherId, out var peer))
            {
                _byIndex[index] = (peer, t.Mid, t.Rids);
            }
        }
    }

    // Sent while suspended too: it is how a feeding origin that stalled finds this edge alive when it runs again.
    public override void Tick() => SealAndSend(_tickBuffer, RelayMessageType.Heartbeat, 0);

    /// <summary>
    /// The origin went silent (stalled, or dead): its publishers leave this room as they would with the link closed; the
    /// slots routed to them keep their wishes and are bound again when the origin's next track table brings them back.
    /// </summary>
    protected override void OnSuspended() => RemoveStandIns();

    private void RemoveStandIns()
    {
        foreach (var peer in _standIns.Values)
        {
            Room.RemoveRelayPeer(peer);
        }
        _standIns.Clear();
        Array.Clear(_byIndex);
    }

    public override void Dispose()
    {
        RemoveStandIns();
        base.Dispose();
    }
}
