using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtp;

// RFC 3550 §5.1 (fixed header), §5.3.1 (header extension); padding per §5.1 "P".
/// <summary>
/// The decoded fixed header of an RTP packet plus where its parts lie. A plain value: it keeps offsets,
/// not the bytes, so it can be stored; use it with the same packet span it was parsed from.
/// </summary>
internal readonly struct RtpHeader
{
    public const int FixedLength = 12;

    private RtpHeader(byte b0, byte b1, ushort seq, uint timestamp, uint ssrc, int extensionOffset, int extensionLength, ushort extensionProfile, int payloadOffset, int paddingLength, int packetLength)
    {
        Byte0 = b0;
        Byte1 = b1;
        SequenceNumber = seq;
        Timestamp = timestamp;
        Ssrc = ssrc;
        ExtensionOffset = extensionOffset;
        ExtensionLength = extensionLength;
        ExtensionProfile = extensionProfile;
        PayloadOffset = payloadOffset;
        PaddingLength = paddingLength;
        PacketLength = packetLength;
    }

    public byte Byte0 { get; }

    public byte Byte1 { get; }

    public int Version => Byte0 >> 6;

    public bool HasPadding => (Byte0 & 0x20) != 0;

    public bool HasExtension => (Byte0 & 0x10) != 0;

    public int CsrcCount => Byte0 & 0x0F;

    public bool Marker => (Byte1 & 0x80) != 0;

    public byte PayloadType => (byte)(Byte1 & 0x7F);

    public ushort SequenceNumber { get; }

    public uint Timestamp { get; }

    public uint Ssrc { get; }

    /// <summary>Offset of the extension data (after the 4-byte profile/length word), or 0.</summary>
    public int ExtensionOffset { get; }

    /// <summary>Length of the extension data in bytes (excluding the profile/length word).</summary>
    public int ExtensionLength { get; }

    /// <summary>0xBEDE for one-byte (RFC 8285 §4.2), 0x100x for two-byte (§4.3) extensions.</summary>
    public ushort ExtensionProfile { get; }

    /// <summary>Header length including CSRCs and extension = offset of the payload.</summary>
    public int PayloadOffset { get; }

    public int PaddingLength { get; }

    public int PacketLength { get; }

    public int PayloadLength => PacketLength - PayloadOffset - PaddingLength;

    public static RtpParseError TryParse(ReadOnlySpan<byte> packet, out RtpHeader header)
    {
        header = default;
        if (packet.Length < FixedLength)
        {
            return RtpParseError.TooShort;
        }
        var b0 = packet[0];
        if ((b0 >> 6) != 2)
        {
            return RtpParseError.BadVersion;
        }
        var offset = FixedLength + (4 * (b0 & 0x0F));
        if (offset > packet.Length)
        {
            return RtpParseError.CsrcOverrun;
        }
        int extOffset = 0, extLength = 0;
        ushort profile = 0;
        if ((b0 & 0x10) != 0)
        {
            if (packet.Length - offset < 4)
            {
                return RtpParseError.ExtensionOverrun;
            }
            profile = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            extLength = 4 * BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            extOffset = offset + 4;
            if (extLength > packet.Length - extOffset)
            {
                return RtpParseError.ExtensionOverrun;
            }
            offset = extOffset + extLength;
        }
        var padding = 0;
        if ((b0 & 0x20) != 0)
        {
            padding = packet.Length > offset ? packet[^1] : 0;
            if (padding == 0 || padding > packet.Length - offset)
            {
                return RtpParseError.BadPadding;
            }
        }
        header = new RtpHeader(
            b0, packet[1],
            BinaryPrimitives.ReadUInt16BigEndian(packet[2..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(packet[8..]),
            extOffset, extLength, profile, offset, padding, packet.Length);
        return RtpParseError.None;
    }

    public uint GetCsrc(ReadOnlySpan<byte> packet, int index) =>
        BinaryPrimitives.ReadUInt32BigEndian(packet[(FixedLength + (4 * index))..]);

    public ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> packet) => packet.Slice(PayloadOffset, PayloadLength);

    public ReadOnlySpan<byte> Extension(ReadOnlySpan<byte> packet) => packet.Slice(ExtensionOffset, ExtensionLength);
}
