// RFC 3550 §6.4 (SR/RR), RFC 4585 §6.2.1 (Generic NACK) and §6.3.1 (PLI), RFC 5104 §4.3.1 (FIR),
// draft-alvestrand-rmcat-remb-03 §2.2 (REMB). Only what the forwarder reads and writes; bounds-checked, never throws.
// TODO(media-core): move onto the Rtcp layer once it lands on media-core.
using System.Buffers.Binary;

namespace LiveClassroom.Media.Sfu;

internal static class RtcpWire
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte Bye = 203;
    public const byte TransportFeedback = 205;
    public const byte PayloadFeedback = 206;

    /// <summary>Walks a compound packet: returns the next packet's type, count field and body (after the 4-byte header).</summary>
    public static bool TryNext(ref ReadOnlySpan<byte> compound, out byte packetType, out int count, out ReadOnlySpan<byte> packet)
    {
        packetType = 0;
        count = 0;
        packet = default;
        if (compound.Length < 4 || compound[0] >> 6 != 2)
        {
            return false;
        }
        var length = (BinaryPrimitives.ReadUInt16BigEndian(compound[2..]) + 1) * 4;
        if (length > compound.Length)
        {
            return false;
        }
        count = compound[0] & 0x1F;
        packetType = compound[1];
        packet = compound[..length];
        compound = compound[length..];
        return true;
    }

    public static void WriteHeader(Span<byte> destination, int count, byte packetType, int lengthBytes)
    {
        destination[0] = (byte)(0x80 | (count & 0x1F));
        destination[1] = packetType;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(lengthBytes / 4 - 1));
    }

    /// <summary>SR without report blocks: 28 bytes.</summary>
    public static int WriteSenderReport(Span<byte> d, uint ssrc, ulong ntp, uint rtpTimestamp, uint packets, uint octets)
    {
        WriteHeader(d, 0, SenderReport, 28);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], ssrc);
        BinaryPrimitives.WriteUInt64BigEndian(d[8..], ntp);
        BinaryPrimitives.WriteUInt32BigEndian(d[16..], rtpTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(d[20..], packets);
        BinaryPrimitives.WriteUInt32BigEndian(d[24..], octets);
        return 28;
    }

    public static int WriteReceiverReportHeader(Span<byte> d, uint senderSsrc, int blocks)
    {
        WriteHeader(d, blocks, ReceiverReport, 8 + 24 * blocks);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], senderSsrc);
        return 8;
    }

    public static int WriteReportBlock(Span<byte> d, uint ssrc, byte fractionLost, int cumulativeLost, uint extendedHighestSeq, uint jitter, uint lsr, uint dlsr)
    {
        BinaryPrimitives.WriteUInt32BigEndian(d, ssrc);
        var lost = Math.Clamp(cumulativeLost, -0x800000, 0x7FFFFF);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], ((uint)fractionLost << 24) | ((uint)lost & 0xFFFFFF));
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], extendedHighestSeq);
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], jitter);
        BinaryPrimitives.WriteUInt32BigEndian(d[16..], lsr);
        BinaryPrimitives.WriteUInt32BigEndian(d[20..], dlsr);
        return 24;
    }

    public static int WritePli(Span<byte> d, uint senderSsrc, uint mediaSsrc)
    {
        WriteHeader(d, 1, PayloadFeedback, 12);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], mediaSsrc);
        return 12;
    }

    public static int WriteFir(Span<byte> d, uint senderSsrc, uint mediaSsrc, byte sequence)
    {
        WriteHeader(d, 4, PayloadFeedback, 20);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(d[12..], mediaSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(d[16..], (uint)sequence << 24);
        return 20;
    }

    /// <summary>Generic NACK for up to <paramref name="seqs"/>.Length sequence numbers, packed into PID/BLP pairs.</summary>
    public static int WriteNack(Span<byte> d, uint senderSsrc, uint mediaSsrc, ReadOnlySpan<ushort> seqs)
    {
        var offset = 12;
        var i = 0;
        while (i < seqs.Length && offset + 4 <= d.Length)
        {
            var pid = seqs[i++];
            ushort blp = 0;
            while (i < seqs.Length)
            {
                var delta = (ushort)(seqs[i] - pid);
                if (delta is < 1 or > 16)
                {
                    break;
                }
                blp |= (ushort)(1 << (delta - 1));
                i++;
            }
            BinaryPrimitives.WriteUInt16BigEndian(d[offset..], pid);
            BinaryPrimitives.WriteUInt16BigEndian(d[(offset + 2)..], blp);
            offset += 4;
        }
        WriteHeader(d, 1, TransportFeedback, offset);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], mediaSsrc);
        return offset;
    }

    public static int WriteRemb(Span<byte> d, uint senderSsrc, long bitrateBps, ReadOnlySpan<uint> ssrcs)
    {
        var length = 20 + 4 * ssrcs.Length;
        WriteHeader(d, 15, PayloadFeedback, length);
        BinaryPrimitives.WriteUInt32BigEndian(d[4..], senderSsrc);
        BinaryPrimitives.WriteUInt32BigEndian(d[8..], 0);
        d[12] = (byte)'R';
        d[13] = (byte)'E';
        d[14] = (byte)'M';
        d[15] = (byte)'B';
        var exponent = 0;
        var mantissa = (ulong)Math.Max(0, bitrateBps);
        while (mantissa > 0x3FFFF)
        {
            mantissa >>= 1;
            exponent++;
        }
        d[16] = (byte)ssrcs.Length;
        d[17] = (byte)((exponent << 2) | (int)(mantissa >> 16));
        BinaryPrimitives.WriteUInt16BigEndian(d[18..], (ushort)mantissa);
        for (var i = 0; i < ssrcs.Length; i++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(d[(20 + 4 * i)..], ssrcs[i]);
        }
        return length;
    }

    /// <summary>Media SSRC of a feedback packet (RTPFB/PSFB), or false when too short.</summary>
    public static bool TryReadFeedback(ReadOnlySpan<byte> packet, out uint senderSsrc, out uint mediaSsrc)
    {
        senderSsrc = 0;
        mediaSsrc = 0;
        if (packet.Length < 12)
        {
            return false;
        }
        senderSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[8..]);
        return true;
    }

    /// <summary>RFC 5104 §4.3.1.1: FIR entries carry the media SSRC in the FCI, not in the common header.</summary>
    public static bool TryReadFirTarget(ReadOnlySpan<byte> packet, out uint mediaSsrc)
    {
        mediaSsrc = 0;
        if (packet.Length < 20)
        {
            return false;
        }
        mediaSsrc = BinaryPrimitives.ReadUInt32BigEndian(packet[12..]);
        return true;
    }

    /// <summary>REMB bitrate, if this PSFB/15 packet is one.</summary>
    public static bool TryReadRemb(ReadOnlySpan<byte> packet, out long bitrateBps)
    {
        bitrateBps = 0;
        if (packet.Length < 20 || packet[12] != 'R' || packet[13] != 'E' || packet[14] != 'M' || packet[15] != 'B')
        {
            return false;
        }
        var exponent = packet[17] >> 2;
        var mantissa = ((packet[17] & 0x3) << 16) | BinaryPrimitives.ReadUInt16BigEndian(packet[18..]);
        bitrateBps = (long)mantissa << exponent;
        return true;
    }
}
