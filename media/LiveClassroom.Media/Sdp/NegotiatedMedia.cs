// RFC 8829 §5.3.1: what an answerer settles for one m-section of the offer.
namespace LiveClassroom.Media.Sdp;

internal sealed class NegotiatedMedia
{
    public required string Mid { get; init; }

    public required string Kind { get; init; }

    public bool Rejected { get; init; }

    /// <summary>The peer sends on this m-section (its offer says sendonly or sendrecv): the SFU receives.</summary>
    public bool SfuReceives { get; init; }

    /// <summary>The peer receives on this m-section (recvonly or sendrecv): it is a slot the SFU sends on.</summary>
    public bool SfuSends { get; init; }

    /// <summary>The single codec asked of the publisher, with the peer's payload type.</summary>
    public RtpCodec? ReceiveCodec { get; init; }

    public int? ReceiveRtxPayloadType { get; init; }

    /// <summary>Codecs the SFU may send into this slot, with the subscriber's payload types.</summary>
    public IReadOnlyList<RtpCodec> SendCodecs { get; init; } = [];

    public int? MidExtensionId { get; init; }

    public int? RidExtensionId { get; init; }

    public int? RepairedRidExtensionId { get; init; }

    public int? AbsSendTimeExtensionId { get; init; }

    public int? AudioLevelExtensionId { get; init; }

    /// <summary>draft-holmer-rmcat-transport-wide-cc-extensions-01 §2 id, when transport-cc was answered on this m-section.</summary>
    public int? TransportCcExtensionId { get; init; }

    /// <summary>For a slot the SFU only sends on: the subscriber's RTX payload type per send codec payload type.</summary>
    public IReadOnlyDictionary<int, int> SendRtxPayloadTypes { get; init; } = new Dictionary<int, int>();

    /// <summary>RFC 2198 audio/red over this m-section's Opus, with the peer's payload type, when both sides support it.</summary>
    public RtpCodec? RedCodec { get; init; }

    public bool Nack { get; init; }

    public bool Pli { get; init; }

    public bool Fir { get; init; }

    public bool Remb { get; init; }

    /// <summary>Simulcast rids the publisher sends, in its order (q;h;f).</summary>
    public IReadOnlyList<string> Rids { get; init; } = [];

    /// <summary>Primary SSRCs announced by a non-simulcast sender.</summary>
    public IReadOnlyList<uint> Ssrcs { get; init; } = [];

    /// <summary>RTX SSRC → primary SSRC from <c>a=ssrc-group:FID</c>.</summary>
    public IReadOnlyDictionary<uint, uint> RtxSsrcs { get; init; } = new Dictionary<uint, uint>();

    public string? Msid { get; init; }

    public RtpCodec? SendCodecFor(string name)
    {
        foreach (var c in SendCodecs)
        {
            if (string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return c;
            }
        }
        return null;
    }
}
