namespace LiveClassroom.Media.Transport;

// RFC 7983 §7: demultiplexing by the first byte (0–3 STUN, 16–19 ZRTP, 20–63 DTLS, 64–79 TURN channel,
// 128–191 RTP/RTCP); RFC 5761 §4: with rtcp-mux, a second byte of 192–223 is an RTCP packet type.
internal static class PacketClassifier
{
    public const int MinStunLength = 20;
    public const int MinDtlsLength = 13;
    public const int MinRtpLength = 12;
    public const int MinRtcpLength = 8;

    public static PacketKind Classify(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return PacketKind.Unknown;
        }
        var b = packet[0];
        if (b <= 3)
        {
            return PacketKind.Stun;
        }
        if (b is >= 16 and <= 19)
        {
            return PacketKind.Zrtp;
        }
        if (b is >= 20 and <= 63)
        {
            return PacketKind.Dtls;
        }
        if (b is >= 64 and <= 79)
        {
            return PacketKind.TurnChannel;
        }
        if (b is >= 128 and <= 191)
        {
            if (packet.Length < 2)
            {
                return PacketKind.Unknown;
            }
            return packet[1] is >= 192 and <= 223 ? PacketKind.Rtcp : PacketKind.Rtp;
        }
        return PacketKind.Unknown;
    }

    /// <summary>Whether the packet is long enough to be a packet of its kind at all.</summary>
    public static bool HasMinimumLength(PacketKind kind, int length) => kind switch
    {
        PacketKind.Stun => length >= MinStunLength,
        PacketKind.Dtls => length >= MinDtlsLength,
        PacketKind.Rtp => length >= MinRtpLength,
        PacketKind.Rtcp => length >= MinRtcpLength,
        _ => false,
    };
}
