// RFC 8829 §5.3.1 (answer generation), RFC 8839 §5.1 (ICE attributes; ice-lite §5.2), RFC 8842 §5.3 (setup:passive),
// RFC 9143 §7.3 (BUNDLE answer), RFC 8853 §5.3 (simulcast recv), RFC 8830 §2 (msid).
using System.Globalization;
using System.Text;

namespace LiveClassroom.Media.Sdp;

internal static class SdpAnswerWriter
{
    public static string Write(SdpSessionDescription offer, IReadOnlyList<NegotiatedMedia> negotiated, SdpLocalParameters local,
        IReadOnlyDictionary<string, SdpSendSlot> sendSlots)
    {
        var sb = new StringBuilder(2048);
        Line(sb, "v=0");
        Line(sb, $"o=- {local.SessionId} {local.SessionVersion} IN IP4 0.0.0.0");
        Line(sb, "s=-");
        Line(sb, "t=0 0");
        Line(sb, "a=ice-lite");
        var bundle = new StringBuilder("a=group:BUNDLE");
        foreach (var n in negotiated)
        {
            if (!n.Rejected)
            {
                bundle.Append(' ').Append(n.Mid);
            }
        }
        Line(sb, bundle.ToString());
        if (offer.ExtmapAllowMixed)
        {
            Line(sb, "a=extmap-allow-mixed");
        }
        Line(sb, "a=msid-semantic: WMS *");
        var first = true;
        for (var i = 0; i < negotiated.Count; i++)
        {
            var n = negotiated[i];
            var m = offer.Media[i];
            if (n.Rejected)
            {
                Line(sb, $"m={m.Kind} 0 {m.Protocol} {(m.Formats.Count > 0 ? m.Formats[0] : "0")}");
                Line(sb, "c=IN IP4 0.0.0.0");
                Line(sb, $"a=mid:{n.Mid}");
                continue;
            }
            WriteMedia(sb, m, n, local, sendSlots.TryGetValue(n.Mid, out var slot) ? slot : null, first);
            first = false;
        }
        return sb.ToString();
    }

    private static void WriteMedia(StringBuilder sb, SdpMediaDescription m, NegotiatedMedia n, SdpLocalParameters local, SdpSendSlot? slot, bool first)
    {
        var payloadTypes = new List<int>();
        IReadOnlyList<RtpCodec> codecs = n.SfuReceives ? [n.ReceiveCodec!] : n.SendCodecs;
        if (n.SfuReceives && n.SfuSends)
        {
            codecs = n.SendCodecs;
        }
        if (n.RedCodec is { } red)
        {
            // First, so a publisher sends RED (Chrome sends the answer's first codec); Opus stays for subscribers' fallback.
            codecs = [red, .. codecs];
        }
        foreach (var c in codecs)
        {
            payloadTypes.Add(c.PayloadType);
        }
        if (n.SfuReceives && n.ReceiveRtxPayloadType is { } rtxPt)
        {
            payloadTypes.Add(rtxPt);
        }
        var sendRtx = slot is { RtxSsrc: not 0 } && !n.SfuReceives ? n.SendRtxPayloadTypes : null;
        if (sendRtx is not null)
        {
            foreach (var c in codecs)
            {
                if (sendRtx.TryGetValue(c.PayloadType, out var pt))
                {
                    payloadTypes.Add(pt);
                }
            }
        }
        Line(sb, $"m={m.Kind} 9 {m.Protocol} {string.Join(' ', payloadTypes)}");
        Line(sb, "c=IN IP4 0.0.0.0");
        Line(sb, $"a=ice-ufrag:{local.IceUfrag}");
        Line(sb, $"a=ice-pwd:{local.IcePwd}");
        Line(sb, "a=ice-options:trickle");
        Line(sb, $"a=fingerprint:sha-256 {local.Fingerprint}");
        Line(sb, "a=setup:passive");
        Line(sb, $"a=mid:{n.Mid}");
        WriteExtMap(sb, n.MidExtensionId, SdpExtensionUris.Mid);
        if (n.SfuReceives)
        {
            WriteExtMap(sb, n.RidExtensionId, SdpExtensionUris.Rid);
            WriteExtMap(sb, n.RepairedRidExtensionId, SdpExtensionUris.RepairedRid);
        }
        WriteExtMap(sb, n.TransportCcExtensionId, SdpExtensionUris.TransportCc);
        WriteExtMap(sb, n.AbsSendTimeExtensionId, SdpExtensionUris.AbsSendTime);
        WriteExtMap(sb, n.AudioLevelExtensionId, SdpExtensionUris.AudioLevel);
        Line(sb, "a=" + (n.SfuReceives, n.SfuSends) switch
        {
            (true, true) => "sendrecv",
            (true, false) => "recvonly",
            (false, true) => "sendonly",
            _ => "inactive",
        });
        if (slot is not null && n.SfuSends)
        {
            Line(sb, $"a=msid:{slot.StreamId} {slot.TrackId}");
        }
        Line(sb, "a=rtcp-mux");
        if (m.RtcpRsize)
        {
            Line(sb, "a=rtcp-rsize");
        }
        foreach (var c in codecs)
        {
            WriteCodec(sb, c, n);
        }
        if (n.SfuReceives && n.ReceiveRtxPayloadType is { } rtx)
        {
            Line(sb, $"a=rtpmap:{rtx} rtx/{n.ReceiveCodec!.ClockRate}");
            Line(sb, $"a=fmtp:{rtx} apt={n.ReceiveCodec.PayloadType}");
        }
        if (sendRtx is not null)
        {
            foreach (var c in codecs)
            {
                if (sendRtx.TryGetValue(c.PayloadType, out var pt))
                {
                    Line(sb, $"a=rtpmap:{pt} rtx/{c.ClockRate}");
                    Line(sb, $"a=fmtp:{pt} apt={c.PayloadType}");
                }
            }
        }
        if (n.SfuReceives && n.Rids.Count > 0)
        {
            foreach (var rid in n.Rids)
            {
                Line(sb, $"a=rid:{rid} recv");
            }
            Line(sb, $"a=simulcast:recv {string.Join(';', n.Rids)}");
        }
        if (slot is not null && n.SfuSends)
        {
            if (sendRtx is { Count: > 0 })
            {
                Line(sb, $"a=ssrc-group:FID {slot.Ssrc} {slot.RtxSsrc}");
            }
            Line(sb, $"a=ssrc:{slot.Ssrc} cname:{slot.Cname}");
            Line(sb, $"a=ssrc:{slot.Ssrc} msid:{slot.StreamId} {slot.TrackId}");
            if (sendRtx is { Count: > 0 })
            {
                Line(sb, $"a=ssrc:{slot.RtxSsrc} cname:{slot.Cname}");
                Line(sb, $"a=ssrc:{slot.RtxSsrc} msid:{slot.StreamId} {slot.TrackId}");
            }
        }
        if (first)
        {
            var foundation = 1;
            foreach (var c in local.Candidates)
            {
                // RFC 8445 §5.1.2.1 priority for a host candidate of component 1.
                var priority = (126u << 24) | ((uint)(65535 - foundation) << 8) | 255u;
                Line(sb, string.Create(CultureInfo.InvariantCulture, $"a=candidate:{foundation} 1 udp {priority} {c.Address} {c.Port} typ host generation 0"));
                foundation++;
            }
            foreach (var c in local.TcpCandidates)
            {
                // RFC 6544 §4.2: same type preference, lower local preference than UDP; port 9 is not used for passive.
                var priority = (126u << 24) | ((uint)(32767 - foundation) << 8) | 255u;
                Line(sb, string.Create(CultureInfo.InvariantCulture, $"a=candidate:{foundation} 1 tcp {priority} {c.Address} {c.Port} typ host tcptype passive generation 0"));
                foundation++;
            }
            Line(sb, "a=end-of-candidates");
        }
    }

    private static void WriteCodec(StringBuilder sb, RtpCodec c, NegotiatedMedia n)
    {
        Line(sb, c.Channels > 1 ? $"a=rtpmap:{c.PayloadType} {c.Name}/{c.ClockRate}/{c.Channels}" : $"a=rtpmap:{c.PayloadType} {c.Name}/{c.ClockRate}");
        if (n.Kind == "video")
        {
            if (n.Remb)
            {
                Line(sb, $"a=rtcp-fb:{c.PayloadType} goog-remb");
            }
            if (n.TransportCcExtensionId is not null)
            {
                Line(sb, $"a=rtcp-fb:{c.PayloadType} transport-cc");
            }
            if (n.Fir)
            {
                Line(sb, $"a=rtcp-fb:{c.PayloadType} ccm fir");
            }
            if (n.Nack)
            {
                Line(sb, $"a=rtcp-fb:{c.PayloadType} nack");
            }
            if (n.Pli)
            {
                Line(sb, $"a=rtcp-fb:{c.PayloadType} nack pli");
            }
        }
        else if (n.TransportCcExtensionId is not null && c.Name.Equals("opus", StringComparison.OrdinalIgnoreCase))
        {
            // Audio the SFU sends is stamped too (SdpNegotiator): the subscriber's feedback covers it.
            Line(sb, $"a=rtcp-fb:{c.PayloadType} transport-cc");
        }
        if (!string.IsNullOrEmpty(c.Fmtp))
        {
            Line(sb, $"a=fmtp:{c.PayloadType} {c.Fmtp}");
        }
    }

    private static void WriteExtMap(StringBuilder sb, int? id, string uri)
    {
        if (id is { } value)
        {
            Line(sb, $"a=extmap:{value} {uri}");
        }
    }

    private static void Line(StringBuilder sb, string line) => sb.Append(line).Append("\r\n");
}
