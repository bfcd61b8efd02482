namespace LiveClassroom.Media.Sfu;

/// <summary>A fed track as the origin describes it to an edge: enough to publish the same track there.</summary>
internal sealed record RelayTrackInfo(string PublisherId, string Mid, string Kind, RtpCodec Codec, IReadOnlyList<string> Rids, int? RedPayloadType,
    IReadOnlyList<RelayLayerInfo> Layers);

/// <summary>
/// A layer of a fed track and its publisher's last sender report (NTP and RTP time, and how long ago it arrived), so the
/// edge regenerates sender reports for its subscribers as the origin does (lip sync).
/// </summary>
internal readonly record struct RelayLayerInfo(uint Ssrc, string? Rid, bool HasSenderReport, ulong Ntp, uint Rtp, long SenderReportAgeMillis);
