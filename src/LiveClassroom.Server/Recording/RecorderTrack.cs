namespace LiveClassroom.Server.Recording;

/// <summary>A declared track: Declared → Active (first packet seen) → Removed.</summary>
public sealed class RecorderTrack(string id, MediaKind kind, RtpCodecInfo codec, TrackSource source)
{
    public string Id { get; } = id;

    public MediaKind Kind { get; } = kind;

    public RtpCodecInfo Codec { get; } = codec;

    public TrackSource Source { get; } = source;

    /// <summary>Set on the recorder loop when the first packet arrives; parts include active tracks only.</summary>
    public bool Active { get; set; }

    public bool Removed { get; set; }

    /// <summary>The SSRC of the latest packet the loop took (0 before the first); set on the recorder loop.</summary>
    public uint Ssrc { get; set; }

    /// <summary>When the recorder last asked the publisher for a keyframe on this track (Environment.TickCount64 ms).</summary>
    public long KeyframeAskedAt { get; set; } = long.MinValue / 2;

    /// <summary>When a keyframe of this track last reached the recorder (Environment.TickCount64), whoever asked for it.</summary>
    public long KeyframeSeenAt { get; set; } = long.MinValue / 2;

    /// <summary>The SSRC of the latest packet offered (set on the publisher's packet thread, which asks for a keyframe on a change).</summary>
    public uint SeenSsrc;

    public long Packets;

    public long Dropped;
}
