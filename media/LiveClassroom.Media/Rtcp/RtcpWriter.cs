using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §6.4.1 SR, §6.4.2 RR, §6.5 SDES, §6.6 BYE; RFC 4585 §6.3.1 PLI, §6.2.1 NACK; RFC 5104 §4.3.1 FIR;
// draft-alvestrand-rmcat-remb-03 REMB. Each writer returns the bytes written, or -1 if the destination is too small.
// Concatenate results for a compound packet.
internal static class RtcpWriter
{
    public const int MaxReportBlocks = 31;

    public static int WriteSenderReport(Span<byte> destination, uint ssrc, ulong ntpTimestamp, uint rtpTimestamp, uint packetCount, uint octetCount, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        var length = RtcpSenderReport.HeaderLength + (blocks.Length * RtcpReportBlock.Length);
        if (blocks.Length > MaxReportBlocks || destination.Length < length)
        {
            return -1;
        }
        WriteHeader(destination, blocks.Length, RtcpPacketType.SenderReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(destination[8..], ntpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(destination[20..], packetCount);
        BinaryPrimitives.WriteUInt32BigEndian(destination[24..], octetCount);
        WriteBlocks(destination[RtcpSenderReport.HeaderLength..], blocks);
        return length;
    }

    public static int WriteReceiverReport(Span<byte> destination, uint ssrc, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        var length = RtcpReceiverReport.HeaderLength + (blocks.Length * RtcpReportBlock.Length);
        if (blocks.Length > MaxReportBlocks || destination.Length < length)
        {
            return -1;
        }
        WriteHeader(destination, blocks.Length, RtcpPacketType.ReceiverReport, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        WriteBlocks(destination[RtcpReceiverReport.HeaderLength..], blocks);
        return length;
    }

    /// <summary>One SDES chunk with a CNAME item (the item every compound packet needs, RFC 3550 §6.1).</summary>
    public static int WriteSdesCname(Span<byte> destination, uint ssrc, ReadOnlySpan<byte> cname)
    {
        if (cname.Length > 255)
        {
            return -1;
        }
        // header 4 + SSRC 4 + type/len 2 + text + at least one terminating zero, padded to 32 bits.
        var length = (4 + 4 + 2 + cname.Length + 1 + 3) & ~3;
        if (destination.Length < length)
        {
            return -1;
        }
        WriteHeader(destination, 1, RtcpPacketType.SourceDescription, length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], ssrc);
        destination[8] = RtcpSdesEnumerator.CnameItem;
        destination[9] = (byte)cname.Length;
        cname.CopyTo(destination[10..]);
        destination[(10 + cname.Length)..length].Clear();
        return length;
    }

    public static int WriteBye(Span<byte> destination, ReadOnlySpan<uint> ssrcs)
    {
        var length = 4 + (4 * ssrcs.Length);
        if (ssrcs.Length > MaxReportBlocks || destination.Length < length)
        {
            return -1;
        }
        WriteHeader(destination, ssrcs.Length, RtcpPacketType.Goodbye, length);
        for (var i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(4 + (4 * i))..], ssrcs[i]);
        }
        return length;
    }

    public static int WritePli(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        if (destination.Length < RtcpFeedbackHeader.Length)
        {
            return -1;
        }
        WriteFeedbackHeader(destination, RtcpPacketType.PayloadFeedback, RtcpPacketType.FmtPli, senderSsrc, mediaSsrc, RtcpFeedbackHeader.Length);
        return RtcpFeedbackHeader.Length;
    }

    /// <summary>RFC 5104 §4.3.1.1: the media SSRC field is 0; the target SSRC and command sequence number go in the FCI.</summary>
    public static int WriteFir(Span<byte> destination, uint senderSsrc, uint mediaSsrc, byte sequenceNumber)
    {
        const int Length = RtcpFeedbackHeader.Length + RtcpFir.EntryLength;
        if (destination.Length < Length)
        {
            return -1;
        }
        WriteFeedbackHeader(destination, RtcpPacketType.PayloadFeedback, RtcpPacketType.FmtFir, senderSsrc, 0, Length);
        BinaryPrimitives.WriteUInt32BigEndian(destination[12..], mediaSsrc);
        destination[16] = sequenceNumber;
        destination[17..Length].Clear();
        return Length;
    }

    public static int WriteNack(Span<byte> destination, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> lost)
    {
        if (destination.Length < RtcpFeedbackHeader.Length || lost.IsEmpty)
        {
            return -1;
        }
        var fci = RtcpNack.WriteFci(destination[RtcpFeedbackHeader.Length..], lost);
        if (fci < 0)
        {
            return -1;
        }
        var length = RtcpFeedbackHeader.Length + fci;
        WriteFeedbackHeader(destination, RtcpPacketType.TransportFeedback, RtcpPacketType.FmtNack, senderSsrc, mediaSsrc, length);
        return length;
    }

    public static int WriteRemb(Span<byte> destination, uint senderSsrc, ulong bitrateBps, ReadOnlySpan<uint> ssrcs)
    {
        var length = RtcpFeedbackHeader.Length + RtcpRemb.MinFciLength + (4 * ssrcs.Length);
        if (ssrcs.Length > 255 || destination.Length < length)
        {
            return -1;
        }
        WriteFeedbackHeader(destination, RtcpPacketType.PayloadFeedback, RtcpPacketType.FmtApplicationLayer, senderSsrc, 0, length);
        "REMB"u8.CopyTo(destination[12..]);
        var (exponent, mantissa) = RtcpRemb.Encode(bitrateBps);
        destination[16] = (byte)ssrcs.Length;
        destination[17] = (byte)((exponent << 2) | (mantissa >> 16));
        destination[18] = (byte)(mantissa >> 8);
        destination[19] = (byte)mantissa;
        for (var i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination[(20 + (4 * i))..], ssrcs[i]);
        }
        return length;
    }

    internal static void WriteHeader(Span<byte> destination, int count, byte packetType, int lengthBytes, bool padding = false)
    {
        destination[0] = (byte)(0x80 | (padding ? 0x20 : 0) | (count & 0x1F));
        destination[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)((lengthBytes / 4) - 1));
    }

    internal static void WriteFeedbackHeader(Span<byte> destination, byte packetType, byte format, uint senderSsrc, uint mediaSsrc, int lengthBytes, bool padding = false)
    {
        WriteHeader(destination, format, packetType, lengthBytes, padding);
        BinaryPrimitives.WriteUInt32BigEndian(destination[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(destination[8..], mediaSsrc);
    }

    private static void WriteBlocks(Span<byte> destination, ReadOnlySpan<RtcpReportBlock> blocks)
    {
        for (var i = 0; i < blocks.Length; i++)
        {
            blocks[i].Write(destination[(i * RtcpReportBlock.Length)..]);
        }
    }
}
