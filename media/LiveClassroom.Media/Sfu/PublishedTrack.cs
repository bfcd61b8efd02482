namespace LiveClassroom.Media.Sfu;

/// <summary>A publisher's send transceiver (mid): its codec, its simulcast layers as they are learnt, who listens.</summary>
internal sealed class PublishedTrack
{
    public PublishedTrack(SfuPeer publisher, string mid, string kind, RtpCodec codec, int? rtxPayloadType, IReadOnlyList<string> rids)
    {
        Publisher = publisher;
        Mid = mid;
        Kind = kind;
        Codec = codec;
        RtxPayloadType = rtxPayloadType;
        Rids = rids;
    }

    public SfuPeer Publisher { get; }

    public string Mid { get; }

    public string Kind { get; }

    public RtpCodec Codec { get; set; }

    public int? RtxPayloadType { get; set; }

    public IReadOnlyList<string> Rids { get; set; }

    /// <summary>RFC 2198 audio/red payload type the publisher may send (over this track's Opus), or null.</summary>
    public int? RedPayloadType { get; set; }

    public bool IsAudio => Kind == "audio";

    /// <summary>Primary streams (layers), in the order they were first seen.</summary>
    public List<IncomingStream> Layers { get; } = [];

    /// <summary>Slots currently fed by this track or switching to or from it.</summary>
    public List<SubscriberSlot> Listeners { get; } = [];

    public List<TrackTap> Taps { get; } = [];

    public bool Unpublished { get; set; }

    /// <summary>When a keyframe was last asked of the publisher on any layer of this track (ticks; SfuRoom.RequestKeyframe).</summary>
    public long LastKeyframeRequestTicks { get; set; } = long.MinValue / 2;

    /// <summary>The layer for <paramref name="rid"/>; null rid means the highest (last in the publisher's rid order) seen so far.</summary>
    public IncomingStream? Layer(string? rid)
    {
        if (Layers.Count == 0)
        {
            return null;
        }
        if (rid is null)
        {
            IncomingStream? best = null;
            var bestIndex = -1;
            foreach (var layer in Layers)
            {
                var index = layer.Rid is null ? 0 : IndexOfRid(layer.Rid);
                if (index > bestIndex)
                {
                    best = layer;
                    bestIndex = index;
                }
            }
            return best;
        }
        foreach (var layer in Layers)
        {
            if (layer.Rid == rid)
            {
                return layer;
            }
        }
        return null;
    }

    /// <summary>A layer's place in the publisher's rid order, lowest first (0 for a stream without a rid).</summary>
    public int RankOf(IncomingStream layer) => layer.Rid is null ? 0 : IndexOfRid(layer.Rid);

    /// <summary>The primary stream with <paramref name="ssrc"/>, or null.</summary>
    public IncomingStream? LayerBySsrc(uint ssrc)
    {
        foreach (var layer in Layers)
        {
            if (layer.Ssrc == ssrc)
            {
                return layer;
            }
        }
        return null;
    }

    private int IndexOfRid(string rid)
    {
        for (var i = 0; i < Rids.Count; i++)
        {
            if (Rids[i] == rid)
            {
                return i;
            }
        }
        return -1;
    }
}
