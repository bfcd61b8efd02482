// RFC 8866 §5 (line grammar <type>=<value>) and §6 (attributes); unknown or malformed lines are counted and skipped.
using System.Globalization;

namespace LiveClassroom.Media.Sdp;

internal static class SdpParser
{
    public static SdpSessionDescription Parse(string sdp)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        var session = new SdpSessionDescription();
        SdpMediaDescription? media = null;
        foreach (var raw in sdp.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.Length < 2 || line[1] != '=')
            {
                if (line.Length > 0)
                {
                    session.MalformedLines++;
                }
                continue;
            }
            var value = line[2..];
            switch (line[0])
            {
                case 'm':
                    media = ParseMediaLine(value);
                    if (media is null)
                    {
                        session.MalformedLines++;
                    }
                    else
                    {
                        session.Media.Add(media);
                    }
                    break;
                case 'a':
                    if (!ParseAttribute(session, media, value))
                    {
                        session.MalformedLines++;
                    }
                    break;
                default:
                    break;
            }
        }
        return session;
    }

    private static SdpMediaDescription? ParseMediaLine(string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 3 || !int.TryParse(parts[1].Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            return null;
        }
        var m = new SdpMediaDescription { Kind = parts[0], Port = port, Protocol = parts[2] };
        for (var i = 3; i < parts.Length; i++)
        {
            m.Formats.Add(parts[i]);
        }
        return m;
    }

    private static bool ParseAttribute(SdpSessionDescription s, SdpMediaDescription? m, string attribute)
    {
        var colon = attribute.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? attribute : attribute[..colon];
        var value = colon < 0 ? string.Empty : attribute[(colon + 1)..];
        switch (name)
        {
            case "ice-ufrag":
                if (m is null) { s.IceUfrag = value; } else { m.IceUfrag = value; }
                return value.Length > 0;
            case "ice-pwd":
                if (m is null) { s.IcePwd = value; } else { m.IcePwd = value; }
                return value.Length > 0;
            case "ice-lite":
                s.IceLite = true;
                return true;
            case "extmap-allow-mixed":
                s.ExtmapAllowMixed = true;
                return true;
            case "fingerprint":
                return ParseFingerprint(s, m, value);
            case "setup":
                if (m is null) { s.Setup = value; } else { m.Setup = value; }
                return true;
            case "group":
                if (value.StartsWith("BUNDLE", StringComparison.Ordinal))
                {
                    s.Bundle.AddRange(value[6..].Split(' ', StringSplitOptions.RemoveEmptyEntries));
                }
                return true;
        }
        return m is null || ParseMediaAttribute(m, name, value);
    }

    private static bool ParseFingerprint(SdpSessionDescription s, SdpMediaDescription? m, string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }
        var algorithm = value[..space].ToLowerInvariant();
        var fingerprint = value[(space + 1)..].Trim();
        if (m is null)
        {
            s.FingerprintAlgorithm = algorithm;
            s.Fingerprint = fingerprint;
        }
        else
        {
            m.FingerprintAlgorithm = algorithm;
            m.Fingerprint = fingerprint;
        }
        return true;
    }

    private static bool ParseMediaAttribute(SdpMediaDescription m, string name, string value)
    {
        switch (name)
        {
            case "mid":
                m.Mid = value;
                return value.Length > 0;
            case "sendrecv":
                m.Direction = SdpDirection.SendRecv;
                return true;
            case "sendonly":
                m.Direction = SdpDirection.SendOnly;
                return true;
            case "recvonly":
                m.Direction = SdpDirection.RecvOnly;
                return true;
            case "inactive":
                m.Direction = SdpDirection.Inactive;
                return true;
            case "rtcp-mux":
                m.RtcpMux = true;
                return true;
            case "rtcp-rsize":
                m.RtcpRsize = true;
                return true;
            case "msid":
                m.Msid = value;
                return true;
            case "rtpmap":
                return ParseRtpMap(m, value);
            case "fmtp":
                return ParsePayloadTypeValue(value, out var fpt, out var fmtp) && m.Fmtp.TryAdd(fpt, fmtp);
            case "rtcp-fb":
                if (!ParsePayloadTypeValue(value, out var fbpt, out var fb, allowWildcard: true))
                {
                    return false;
                }
                m.RtcpFeedback.Add((fbpt, fb));
                return true;
            case "extmap":
                return ParseExtMap(m, value);
            case "ssrc":
                return ParseSsrc(m, value);
            case "ssrc-group":
                return ParseSsrcGroup(m, value);
            case "rid":
                return ParseRid(m, value);
            case "simulcast":
                return ParseSimulcast(m, value);
            case "candidate":
                m.Candidates.Add(value);
                return true;
            default:
                return true;
        }
    }

    private static bool ParseRtpMap(SdpMediaDescription m, string value)
    {
        if (!ParsePayloadTypeValue(value, out var pt, out var encoding))
        {
            return false;
        }
        var parts = encoding.Split('/');
        if (parts.Length < 2 || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var clock))
        {
            return false;
        }
        var channels = 1;
        if (parts.Length > 2 && !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out channels))
        {
            return false;
        }
        m.RtpMaps.Add(new SdpRtpMap(pt, parts[0], clock, channels));
        return true;
    }

    // "<pt> <rest>", where pt may be "*" for rtcp-fb (RFC 4585 §4.2), reported as -1.
    private static bool ParsePayloadTypeValue(string value, out int payloadType, out string rest, bool allowWildcard = false)
    {
        payloadType = -1;
        rest = string.Empty;
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0)
        {
            return false;
        }
        rest = value[(space + 1)..].Trim();
        var token = value[..space];
        if (allowWildcard && token == "*")
        {
            return true;
        }
        return int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out payloadType) && payloadType is >= 0 and <= 127;
    }

    private static bool ParseExtMap(SdpMediaDescription m, string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || !int.TryParse(parts[0].Split('/')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var id) || id is < 1 or > 255)
        {
            return false;
        }
        m.ExtMaps.Add(new SdpExtMap(id, parts[1]));
        return true;
    }

    private static bool ParseSsrc(SdpMediaDescription m, string value)
    {
        var space = value.IndexOf(' ', StringComparison.Ordinal);
        var idText = space < 0 ? value : value[..space];
        if (!uint.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out var ssrc))
        {
            return false;
        }
        var rest = space < 0 ? string.Empty : value[(space + 1)..];
        var colon = rest.IndexOf(':', StringComparison.Ordinal);
        m.Ssrcs.Add(colon < 0 ? new SdpSsrc(ssrc, rest, null) : new SdpSsrc(ssrc, rest[..colon], rest[(colon + 1)..]));
        return true;
    }

    private static bool ParseSsrcGroup(SdpMediaDescription m, string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2)
        {
            return false;
        }
        var ssrcs = new uint[parts.Length - 1];
        for (var i = 1; i < parts.Length; i++)
        {
            if (!uint.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out ssrcs[i - 1]))
            {
                return false;
            }
        }
        m.SsrcGroups.Add(new SdpSsrcGroup(parts[0], ssrcs));
        return true;
    }

    private static bool ParseRid(SdpMediaDescription m, string value)
    {
        var parts = value.Split(' ', 3, StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length < 2 || parts[1] is not ("send" or "recv"))
        {
            return false;
        }
        m.Rids.Add(new SdpRid(parts[0], parts[1], parts.Length > 2 ? parts[2] : null));
        return true;
    }

    // RFC 8853 §5.1: a=simulcast:<send|recv> <rid-list> [<send|recv> <rid-list>]; "~" marks a paused rid.
    private static bool ParseSimulcast(SdpMediaDescription m, string value)
    {
        var parts = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length is not (2 or 4))
        {
            return false;
        }
        for (var i = 0; i + 1 < parts.Length; i += 2)
        {
            var target = parts[i] switch
            {
                "send" => m.SimulcastSend,
                "recv" => m.SimulcastRecv,
                _ => null,
            };
            if (target is null)
            {
                return false;
            }
            foreach (var alternatives in parts[i + 1].Split(';', StringSplitOptions.RemoveEmptyEntries))
            {
                foreach (var rid in alternatives.Split(','))
                {
                    target.Add(rid.TrimStart('~'));
                }
            }
        }
        return true;
    }
}
