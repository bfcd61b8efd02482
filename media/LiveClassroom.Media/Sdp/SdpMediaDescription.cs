// RFC 8866 §5.14 (m= line) with the attributes JSEP (RFC 8829 §5.8) reads from each m-section.
namespace LiveClassroom.Media.Sdp;

internal sealed class SdpMediaDescription
{
    public required string Kind { get; init; }

    public int Port { get; set; }

    public required string Protocol { get; init; }

    /// <summary>Format tokens of the m= line in order (payload types for RTP, e.g. "webrtc-datachannel" otherwise).</summary>
    public List<string> Formats { get; } = [];

    public string? Mid { get; set; }

    public SdpDirection Direction { get; set; } = SdpDirection.SendRecv;

    public string? IceUfrag { get; set; }

    public string? IcePwd { get; set; }

    public string? FingerprintAlgorithm { get; set; }

    public string? Fingerprint { get; set; }

    public string? Setup { get; set; }

    public bool RtcpMux { get; set; }

    public bool RtcpRsize { get; set; }

    public string? Msid { get; set; }

    public List<SdpRtpMap> RtpMaps { get; } = [];

    public Dictionary<int, string> Fmtp { get; } = [];

    public List<(int PayloadType, string Value)> RtcpFeedback { get; } = [];

    public List<SdpExtMap> ExtMaps { get; } = [];

    public List<SdpSsrc> Ssrcs { get; } = [];

    public List<SdpSsrcGroup> SsrcGroups { get; } = [];

    public List<SdpRid> Rids { get; } = [];

    /// <summary>The rid list of <c>a=simulcast:send …</c> (alternatives flattened), empty without simulcast.</summary>
    public List<string> SimulcastSend { get; } = [];

    public List<string> SimulcastRecv { get; } = [];

    public List<string> Candidates { get; } = [];

    public bool IsRtp => Protocol.Contains("RTP", StringComparison.Ordinal);

    public int? ExtensionId(string uri)
    {
        foreach (var e in ExtMaps)
        {
            if (e.Uri == uri)
            {
                return e.Id;
            }
        }
        return null;
    }

    public SdpRtpMap? RtpMap(int payloadType)
    {
        foreach (var r in RtpMaps)
        {
            if (r.PayloadType == payloadType)
            {
                return r;
            }
        }
        return null;
    }

    public string? FmtpOf(int payloadType) => Fmtp.TryGetValue(payloadType, out var f) ? f : null;
}
