// RFC 8829 §5.3.1 (JSEP initial answer) and §5.8: per m-section codec, extension, feedback and simulcast choices.
namespace LiveClassroom.Media.Sdp;

/// <summary>Settles each m-section of a Chrome unified-plan offer; the SFU side of rid/simulcast follows RFC 8853 §5.3.</summary>
internal static class SdpNegotiator
{
    /// <summary>Simulcast layers taken from one m-section (Chrome and Firefox send three); further rids are not answered.</summary>
    public const int MaxRids = 4;

    /// <param name="mayPublish">(mid, kind) → whether the peer may publish there; null: every send m-section.</param>
    /// <param name="transportCc">Answer transport-cc on m-sections the SFU receives on (the SFU then owes the publisher feedback).</param>
    /// <param name="downlinkTransportCc">Answer transport-cc on m-sections the SFU only sends on: it stamps the transport-wide
    /// sequence number on what it forwards and estimates the subscriber's downlink from the feedback.</param>
    /// <param name="red">Answer audio/red (RFC 2198) over Opus where offered: publishers send it, subscribers that offered it get it unchanged.</param>
    public static List<NegotiatedMedia> Negotiate(SdpSessionDescription offer, VideoCodecPreference preference, bool transportCc,
        Func<string, string, bool>? mayPublish = null, bool downlinkTransportCc = false, bool red = false)
    {
        if (offer.Media.Count == 0)
        {
            throw new SdpFormatException("the offer has no m-sections");
        }
        var result = new List<NegotiatedMedia>(offer.Media.Count);
        var mids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var m in offer.Media)
        {
            var n = NegotiateOne(m, preference, transportCc, mayPublish, downlinkTransportCc, red);
            // RFC 8843 §7.2 / JSEP: mids identify m-sections; a repeated one makes the offer ambiguous.
            if (!mids.Add(n.Mid))
            {
                throw new SdpFormatException($"mid {n.Mid} appears twice");
            }
            result.Add(n);
        }
        return result;
    }

    private static NegotiatedMedia NegotiateOne(SdpMediaDescription m, VideoCodecPreference preference, bool transportCc,
        Func<string, string, bool>? mayPublish, bool downlinkTransportCc, bool red)
    {
        var mid = m.Mid ?? throw new SdpFormatException("an m-section has no a=mid (unified plan requires one)");
        var supportedKind = m.Kind is "audio" or "video";
        if (!supportedKind || m.Port == 0 || !m.IsRtp || m.Direction == SdpDirection.Inactive && m.Port == 0)
        {
            return new NegotiatedMedia { Mid = mid, Kind = m.Kind, Rejected = true };
        }

        // RFC 8829 §5.3.1: the answerer may decline to receive; a send m-section the peer may not publish on is answered
        // without recv (inactive for sendonly), so no track is created for it.
        var peerSends = (m.Direction is SdpDirection.SendOnly or SdpDirection.SendRecv) && (mayPublish is null || mayPublish(mid, m.Kind));
        var peerReceives = m.Direction is SdpDirection.RecvOnly or SdpDirection.SendRecv;
        var sendCodecs = new List<RtpCodec>();
        RtpCodec? receiveCodec;
        int? receiveRtx = null;
        RtpCodec? redCodec = null;
        if (m.Kind == "audio")
        {
            receiveCodec = FindOpus(m);
            if (receiveCodec is not null)
            {
                sendCodecs.Add(receiveCodec);
                redCodec = red ? FindRed(m, receiveCodec.PayloadType) : null;
            }
        }
        else
        {
            var h264 = FindH264(m);
            var vp8 = Find(m, "VP8");
            receiveCodec = preference == VideoCodecPreference.H264 ? h264 ?? vp8 : vp8 ?? h264;
            // A slot may be fed by publishers that negotiated either codec, so offer the subscriber both.
            if (receiveCodec is not null)
            {
                sendCodecs.Add(receiveCodec);
                var other = ReferenceEquals(receiveCodec, h264) ? vp8 : h264;
                if (other is not null)
                {
                    sendCodecs.Add(other);
                }
                receiveRtx = FindRtx(m, receiveCodec.PayloadType);
            }
        }
        if (receiveCodec is null)
        {
            return new NegotiatedMedia { Mid = mid, Kind = m.Kind, Rejected = true };
        }

        var isVideo = m.Kind == "video";
        var rids = new List<string>();
        if (peerSends)
        {
            foreach (var rid in m.Rids)
            {
                if (rid.Direction == "send" && rids.Count < MaxRids && !rids.Contains(rid.Id))
                {
                    rids.Add(rid.Id);
                }
            }
        }
        var (ssrcs, rtx) = ReadSsrcs(m);
        // RFC 4588 §8.6: a slot the SFU only sends on gets an RTX stream per codec the subscriber offered one for; the SFU
        // sends bandwidth probes (padding) on it.
        var sendRtx = new Dictionary<int, int>();
        if (isVideo && peerReceives && !peerSends)
        {
            foreach (var c in sendCodecs)
            {
                if (FindRtx(m, c.PayloadType) is { } rtxPt)
                {
                    sendRtx[c.PayloadType] = rtxPt;
                }
            }
        }
        // Downlink transport-cc on audio slots too: the estimate must cover everything sent on the transport. Audio stamped
        // with the transport-wide sequence shows up in the feedback (its bytes in the received rate, its losses in the loss
        // fraction); left out, the delay-based estimate measured video alone, was capped at 1.5 × the video's rate and
        // fell to 0.85 × it on over-use, while the layer rules still took the audio's share off it (docs/BANDWIDTH.md).
        var tcc = peerSends ? transportCc : peerReceives && downlinkTransportCc;
        return new NegotiatedMedia
        {
            Mid = mid,
            Kind = m.Kind,
            SfuReceives = peerSends,
            SfuSends = peerReceives,
            ReceiveCodec = receiveCodec,
            ReceiveRtxPayloadType = receiveRtx,
            SendCodecs = sendCodecs,
            MidExtensionId = m.ExtensionId(SdpExtensionUris.Mid),
            RidExtensionId = rids.Count > 0 ? m.ExtensionId(SdpExtensionUris.Rid) : null,
            RepairedRidExtensionId = rids.Count > 0 ? m.ExtensionId(SdpExtensionUris.RepairedRid) : null,
            AbsSendTimeExtensionId = m.ExtensionId(SdpExtensionUris.AbsSendTime),
            AudioLevelExtensionId = isVideo ? null : m.ExtensionId(SdpExtensionUris.AudioLevel),
            TransportCcExtensionId = tcc ? m.ExtensionId(SdpExtensionUris.TransportCc) : null,
            SendRtxPayloadTypes = sendRtx,
            RedCodec = redCodec,
            Nack = isVideo && HasFeedback(m, receiveCodec.PayloadType, "nack"),
            Pli = isVideo && HasFeedback(m, receiveCodec.PayloadType, "nack pli"),
            Fir = isVideo && HasFeedback(m, receiveCodec.PayloadType, "ccm fir"),
            Remb = isVideo && HasFeedback(m, receiveCodec.PayloadType, "goog-remb"),
            Rids = rids,
            Ssrcs = ssrcs,
            RtxSsrcs = rtx,
            Msid = m.Msid ?? FirstSsrcAttribute(m, "msid"),
        };
    }

    private static RtpCodec? FindOpus(SdpMediaDescription m)
    {
        foreach (var format in m.Formats)
        {
            if (int.TryParse(format, out var pt) && m.RtpMap(pt) is { } map && string.Equals(map.Name, "opus", StringComparison.OrdinalIgnoreCase))
            {
                return new RtpCodec(pt, "opus", map.ClockRate, map.Channels, WithInbandFec(m.FmtpOf(pt)));
            }
        }
        return null;
    }

    // RFC 7587 §6.1: useinbandfec=1 says the receiver (the SFU, and through it every subscriber) decodes Opus in-band
    // FEC, so publishers add it; the SFU forwards Opus payloads unchanged, FEC included.
    private static string WithInbandFec(string? fmtp)
    {
        if (string.IsNullOrWhiteSpace(fmtp))
        {
            return "minptime=10;useinbandfec=1";
        }
        if (fmtp.Contains("useinbandfec=1", StringComparison.Ordinal))
        {
            return fmtp;
        }
        var kept = fmtp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(p => !p.StartsWith("useinbandfec=", StringComparison.Ordinal));
        return string.Join(';', kept.Append("useinbandfec=1"));
    }

    // RFC 2198 §5 / RFC 8627-style fmtp "111/111": RED whose blocks are all the Opus payload type.
    private static RtpCodec? FindRed(SdpMediaDescription m, int opusPayloadType)
    {
        var opus = opusPayloadType.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var format in m.Formats)
        {
            if (int.TryParse(format, out var pt) && m.RtpMap(pt) is { } map && string.Equals(map.Name, "red", StringComparison.OrdinalIgnoreCase)
                && map.ClockRate == 48000 && m.FmtpOf(pt) is { } fmtp
                && fmtp.Split('/', StringSplitOptions.TrimEntries) is { Length: > 0 } blocks && blocks.All(b => b == opus))
            {
                return new RtpCodec(pt, "red", map.ClockRate, map.Channels, fmtp);
            }
        }
        return null;
    }

    private static RtpCodec? Find(SdpMediaDescription m, string name)
    {
        foreach (var format in m.Formats)
        {
            if (int.TryParse(format, out var pt) && m.RtpMap(pt) is { } map && string.Equals(map.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return new RtpCodec(pt, name, map.ClockRate, map.Channels, m.FmtpOf(pt));
            }
        }
        return null;
    }

    // RFC 6184 §8.1: constrained baseline (profile_idc 0x42, constraint_set1) with packetization-mode=1; 42e01f preferred.
    private static RtpCodec? FindH264(SdpMediaDescription m)
    {
        RtpCodec? fallback = null;
        foreach (var format in m.Formats)
        {
            if (!int.TryParse(format, out var pt) || m.RtpMap(pt) is not { } map || !string.Equals(map.Name, "H264", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }
            var fmtp = m.FmtpOf(pt) ?? string.Empty;
            if (!fmtp.Contains("packetization-mode=1", StringComparison.Ordinal))
            {
                continue;
            }
            var profile = FmtpValue(fmtp, "profile-level-id")?.ToLowerInvariant();
            if (profile == "42e01f")
            {
                return new RtpCodec(pt, "H264", map.ClockRate, 1, fmtp);
            }
            if (fallback is null && profile is not null && (profile.StartsWith("42e0", StringComparison.Ordinal) || profile.StartsWith("4200", StringComparison.Ordinal)))
            {
                fallback = new RtpCodec(pt, "H264", map.ClockRate, 1, fmtp);
            }
        }
        return fallback;
    }

    // RFC 4588 §8.6: rtx/<clock> with fmtp apt=<primary pt>.
    private static int? FindRtx(SdpMediaDescription m, int primary)
    {
        foreach (var map in m.RtpMaps)
        {
            if (string.Equals(map.Name, "rtx", StringComparison.OrdinalIgnoreCase)
                && FmtpValue(m.FmtpOf(map.PayloadType) ?? string.Empty, "apt") == primary.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                return map.PayloadType;
            }
        }
        return null;
    }

    internal static string? FmtpValue(string fmtp, string key)
    {
        foreach (var pair in fmtp.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            if (eq > 0 && pair[..eq] == key)
            {
                return pair[(eq + 1)..];
            }
        }
        return null;
    }

    private static bool HasFeedback(SdpMediaDescription m, int pt, string value)
    {
        foreach (var (fbPt, fb) in m.RtcpFeedback)
        {
            if ((fbPt == pt || fbPt == -1) && fb == value)
            {
                return true;
            }
        }
        return false;
    }

    private static (List<uint> Primary, Dictionary<uint, uint> Rtx) ReadSsrcs(SdpMediaDescription m)
    {
        var rtx = new Dictionary<uint, uint>();
        foreach (var group in m.SsrcGroups)
        {
            if (group.Semantics == "FID" && group.Ssrcs.Length == 2)
            {
                rtx[group.Ssrcs[1]] = group.Ssrcs[0];
            }
        }
        var primary = new List<uint>();
        foreach (var s in m.Ssrcs)
        {
            if (!rtx.ContainsKey(s.Ssrc) && !primary.Contains(s.Ssrc))
            {
                primary.Add(s.Ssrc);
            }
        }
        return (primary, rtx);
    }

    private static string? FirstSsrcAttribute(SdpMediaDescription m, string attribute)
    {
        foreach (var s in m.Ssrcs)
        {
            if (s.Attribute == attribute)
            {
                return s.Value;
            }
        }
        return null;
    }
}
