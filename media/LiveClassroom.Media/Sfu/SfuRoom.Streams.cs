// RFC 8852 (rid), RFC 9143 §9.2 (mid demux), RFC 4588 §4 (RTX), RFC 8853 §5.3 (one stream per simulcast rid):
// learning a publisher's SSRCs, bounded per track and per peer.
using System.Text;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Sdp;

namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    /// <summary>Unplaced SSRCs remembered per peer (so identification, which allocates, never runs per packet).</summary>
    private const int MaxUnidentifiedSsrcs = 256;

    /// <summary>Packets dropped because their SSRC would exceed a stream limit, all peers (diagnostics).</summary>
    public long StreamLimitDrops { get; private set; }

    // An SSRC that could not be placed (say RTX probes before their layer is known, or one over a stream limit) is
    // retried at most every 250 ms; its packets in between are counted under the reason it was refused for.
    private IncomingStream? IdentifyOrSkip(SfuPeer peer, ReadOnlySpan<byte> packet, in RtpHeader header)
    {
        var now = Environment.TickCount64;
        if (peer.UnidentifiedSsrcs.TryGetValue(header.Ssrc, out var known) && now < known.RetryAt)
        {
            CountUnplaced(peer, known.OverLimit);
            return null;
        }
        var stream = IdentifyStream(peer, packet, header, now, out var overLimit);
        if (stream is null)
        {
            if (peer.UnidentifiedSsrcs.Count >= MaxUnidentifiedSsrcs)
            {
                peer.UnidentifiedSsrcs.Clear();
            }
            peer.UnidentifiedSsrcs[header.Ssrc] = (now + 250, overLimit);
            CountUnplaced(peer, overLimit);
        }
        else
        {
            peer.UnidentifiedSsrcs.Remove(header.Ssrc);
        }
        return stream;
    }

    private void CountUnplaced(SfuPeer peer, bool overLimit)
    {
        if (overLimit)
        {
            StreamLimitDrops++;
            peer.StreamLimitDrops++;
            SfuMetrics.DroppedOverStreamLimit();
        }
        else
        {
            UnknownStreamPackets++;
        }
    }

    private IncomingStream? IdentifyStream(SfuPeer peer, ReadOnlySpan<byte> packet, in RtpHeader header, long now, out bool overLimit)
    {
        overLimit = false;
        var media = FindMedia(peer, packet, header);
        if (media is null || !peer.Tracks.TryGetValue(media.Mid, out var track))
        {
            return null;
        }
        string? rid = null;
        string? repairedRid = null;
        if (media.RidExtensionId is { } ridId && RtpExtensions.TryGetRid(packet, header, ridId, out var ridBytes))
        {
            rid = Encoding.ASCII.GetString(ridBytes);
        }
        if (media.RepairedRidExtensionId is { } rridId && RtpExtensions.TryGetRepairedRid(packet, header, rridId, out var rridBytes))
        {
            repairedRid = Encoding.ASCII.GetString(rridBytes);
        }
        var isRtx = media.ReceiveRtxPayloadType == header.PayloadType;
        IncomingStream stream;
        if (isRtx)
        {
            IncomingStream? primary = null;
            if (media.RtxSsrcs.TryGetValue(header.Ssrc, out var primarySsrc))
            {
                peer.StreamsBySsrc.TryGetValue(primarySsrc, out primary);
            }
            else if (repairedRid is not null || rid is not null)
            {
                primary = track.Layer(repairedRid ?? rid);
                if (primary?.Rid != (repairedRid ?? rid))
                {
                    primary = null;
                }
            }
            if (primary is null)
            {
                return null;
            }
            // One RTX stream per primary: a second SSRC replaces the first only once that one has gone quiet.
            if (!MakeRoom(peer, primary.RtxStream, now))
            {
                overLimit = true;
                return null;
            }
            stream = new IncomingStream(track, header.Ssrc, primary.Rid, primary, 0, 0, now);
            primary.RtxStream = stream;
        }
        else
        {
            if (header.PayloadType != track.Codec.PayloadType && header.PayloadType != track.RedPayloadType)
            {
                return null;
            }
            if (track.Rids.Count > 0 && (rid is null || !track.Rids.Contains(rid)))
            {
                return null;
            }
            // One stream per negotiated rid, or one in all without simulcast. A camera restart changes the SSRC: the
            // new one takes over once the old has been silent for StreamReplaceAfter, never alongside it.
            var occupant = track.Rids.Count > 0 ? track.Layer(rid) : Stalest(track.Layers);
            if (!MakeRoom(peer, occupant, now))
            {
                overLimit = true;
                return null;
            }
            stream = new IncomingStream(track, header.Ssrc, rid, null, _options.RetransmissionCacheSize, _options.RetransmissionCacheBytes, now);
            track.Layers.Add(stream);
        }
        peer.StreamsBySsrc[header.Ssrc] = stream;
        if (!isRtx)
        {
            OnLayerLearnt(track);
        }
        return stream;
    }

    private static NegotiatedMedia? FindMedia(SfuPeer peer, ReadOnlySpan<byte> packet, in RtpHeader header)
    {
        foreach (var n in peer.Media)
        {
            if (n.SfuReceives && !n.Rejected && (n.Ssrcs.Contains(header.Ssrc) || n.RtxSsrcs.ContainsKey(header.Ssrc)))
            {
                return n;
            }
        }
        foreach (var n in peer.Media)
        {
            if (n.Rejected || !n.SfuReceives || n.MidExtensionId is not { } midId)
            {
                continue;
            }
            if (RtpExtensions.TryGetMid(packet, header, midId, out var mid) && AsciiEquals(mid, n.Mid))
            {
                return n;
            }
        }
        return null;
    }

    /// <summary>
    /// Whether a new stream may be added: the place it would take (<paramref name="occupant"/>) must be free or held
    /// by a stream silent for at least StreamReplaceAfter (which is then dropped), and the peer under its stream limit.
    /// </summary>
    private bool MakeRoom(SfuPeer peer, IncomingStream? occupant, long now)
    {
        if (occupant is not null)
        {
            if (now - occupant.LastPacketMillis < (long)_options.StreamReplaceAfter.TotalMilliseconds)
            {
                return false;
            }
            RemoveStream(peer, occupant);
        }
        return peer.StreamsBySsrc.Count < _options.MaxIncomingStreamsPerPeer;
    }

    /// <summary>Forgets a replaced stream (and its RTX); slots fed by it retarget to the new stream when it is learnt.</summary>
    private static void RemoveStream(SfuPeer peer, IncomingStream stream)
    {
        peer.StreamsBySsrc.Remove(stream.Ssrc);
        peer.ReceiveContext?.RemoveStream(stream.Ssrc);
        if (stream.Repairs is { } primary)
        {
            if (primary.RtxStream == stream)
            {
                primary.RtxStream = null;
            }
            return;
        }
        stream.Track.Layers.Remove(stream);
        if (stream.RtxStream is { } rtx)
        {
            peer.StreamsBySsrc.Remove(rtx.Ssrc);
            peer.ReceiveContext?.RemoveStream(rtx.Ssrc);
            stream.RtxStream = null;
        }
    }

    private static IncomingStream? Stalest(List<IncomingStream> streams)
    {
        IncomingStream? stalest = null;
        foreach (var s in streams)
        {
            if (stalest is null || s.LastPacketMillis < stalest.LastPacketMillis)
            {
                stalest = s;
            }
        }
        return stalest;
    }

    private static bool AsciiEquals(ReadOnlySpan<byte> bytes, string text)
    {
        if (bytes.Length != text.Length)
        {
            return false;
        }
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] != text[i])
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Bytes a peer's incoming streams hold in retransmission caches (allocated, not merely budgeted).</summary>
    private static long BufferedBytes(SfuPeer peer)
    {
        long bytes = 0;
        foreach (var stream in peer.StreamsBySsrc.Values)
        {
            bytes += stream.Cache?.AllocatedBytes ?? 0;
        }
        return bytes;
    }
}
