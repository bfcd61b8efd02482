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

    /// <summary>The SSRC of the packets the running part was given (0 before the first); set on the recorder loop.</summary>
    public uint Ssrc { get; set; }

    public long Packets;

    public long Dropped;
}
