namespace LiveClassroom.Server.Recording;

/// <summary>
/// What a recorder consumes: the SFU's tap on publisher tracks (plain, decrypted RTP) and the class's events.
/// Thread-safe; <see cref="OnRtp"/> never blocks and never throws (a full queue drops and counts the packet).
/// An adapter connects an SFU track by calling <see cref="AddTrack"/> once, then <see cref="OnRtp"/> per packet,
/// and <see cref="RemoveTrack"/> when the publisher stops it; it answers <see cref="KeyframeNeeded"/> with a PLI.
/// </summary>
public interface IRecordingInput
{
    Guid RecordingId { get; }

    /// <summary>Declares a track. The recorder includes it from its first packet on.</summary>
    void AddTrack(string trackId, MediaKind kind, RtpCodecInfo codec, TrackSource source = TrackSource.Camera);

    void RemoveTrack(string trackId);

    /// <summary>One RTP packet (header + payload, no SRTP) of a declared track. The span is copied before returning.</summary>
    void OnRtp(string trackId, ReadOnlySpan<byte> rtpPacket);

    /// <summary>A classroom event worth a chapter mark; its offset is taken now on the recording's timeline.</summary>
    void AddChapter(ChapterType type, string? labelZh = null, string? labelEn = null);

    /// <summary>
    /// Raised with a track id when the recorder needs a keyframe on that video track: on the caller's thread of
    /// <see cref="OnRtp"/> when a new stream appears, otherwise on the recorder's loop. Handlers must only queue.
    /// </summary>
    event Action<string>? KeyframeNeeded;
}
