namespace LiveClassroom.Media.Rtp.Codecs;

// RFC 7741 §4.2 (payload descriptor) and §4.3 (payload header: P bit of the first partition's first byte).
/// <summary>The VP8 payload descriptor of one RTP packet, with offsets so fields can be rewritten in place.</summary>
internal readonly struct Vp8Descriptor
{
    public const int NoPictureId = -1;

    public bool IsNonReference { get; init; }

    /// <summary>S bit: first packet of a partition.</summary>
    public bool IsStartOfPartition { get; init; }

    public int PartitionIndex { get; init; }

    /// <summary>7- or 15-bit picture id, or <see cref="NoPictureId"/>.</summary>
    public int PictureId { get; init; }

    public bool HasLongPictureId { get; init; }

    /// <summary>Offset of the picture id field in the payload (0 if absent).</summary>
    public int PictureIdOffset { get; init; }

    public bool HasTl0PicIdx { get; init; }

    public byte Tl0PicIdx { get; init; }

    public int Tl0PicIdxOffset { get; init; }

    public bool HasTemporalLayer { get; init; }

    public byte TemporalLayer { get; init; }

    public bool LayerSync { get; init; }

    public bool HasKeyIndex { get; init; }

    public byte KeyIndex { get; init; }

    /// <summary>Bytes of descriptor before the VP8 payload.</summary>
    public int Length { get; init; }

    /// <summary>First packet of a key frame: S = 1, partition 0, and P = 0 in the payload header (§4.3).</summary>
    public bool IsKeyframe { get; init; }

    /// <summary>Start of a new frame (S = 1, partition 0).</summary>
    public bool IsStartOfFrame => IsStartOfPartition && PartitionIndex == 0;
}
