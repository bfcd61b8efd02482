using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1: RTPFB FMT 15. FCI = base sequence (16) | status count (16) |
// reference time (24, signed, 64 ms) | feedback count (8) | packet chunks (16 bits each: run length T=0 | symbol (2) |
// length (13); or status vector T=1 | S | 14×1-bit or 7×2-bit symbols) | receive deltas (1 byte unsigned for
// "small", 2 bytes signed for "large", in 250 µs).
internal static class TransportCcFeedback
{
    public static bool TryReadHeader(ReadOnlySpan<byte> fci, out TransportCcHeader header)
    {
        header = default;
        if (fci.Length < TransportCcHeader.Length)
        {
            return false;
        }
        var reference = (fci[4] << 16) | (fci[5] << 8) | fci[6];
        if ((reference & 0x800000) != 0)
        {
            reference |= unchecked((int)0xFF000000);
        }
        header = new TransportCcHeader(
            BinaryPrimitives.ReadUInt16BigEndian(fci),
            BinaryPrimitives.ReadUInt16BigEndian(fci[2..]),
            reference,
            fci[7]);
        return true;
    }

    /// <summary>
    /// Decodes every packet status and delta. <paramref name="packets"/> must hold at least
    /// <see cref="TransportCcHeader.PacketStatusCount"/> entries (read the header first to size it).
    /// </summary>
    public static bool TryParse(ReadOnlySpan<byte> fci, Span<TransportCcPacket> packets, out TransportCcHeader header)
    {
        if (!TryReadHeader(fci, out header) || packets.Length < header.PacketStatusCount)
        {
            return false;
        }
        int total = header.PacketStatusCount;
        var pos = TransportCcHeader.Length;
        var n = 0;
        // Pass 1: symbols, stored temporarily in Status.
        while (n < total)
        {
            if (fci.Length - pos < 2)
            {
                return false;
            }
            var chunk = BinaryPrimitives.ReadUInt16BigEndian(fci[pos..]);
            pos += 2;
            if ((chunk & 0x8000) == 0)
            {
                var symbol = (chunk >> 13) & 0x3;
                var run = chunk & 0x1FFF;
                if (run == 0 || symbol == 3)
                {
                    return false;
                }
                for (var i = 0; i < run && n < total; i++)
                {
                    packets[n] = new TransportCcPacket((ushort)(header.BaseSequence + n), (TransportCcStatus)symbol, 0);
                    n++;
                }
            }
            else if ((chunk & 0x4000) == 0)
            {
                for (var i = 13; i >= 0 && n < total; i--)
                {
                    packets[n] = new TransportCcPacket((ushort)(header.BaseSequence + n), (TransportCcStatus)((chunk >> i) & 1), 0);
                    n++;
                }
            }
            else
            {
                for (var i = 6; i >= 0 && n < total; i--)
                {
                    var symbol = (chunk >> (2 * i)) & 0x3;
                    if (symbol == 3)
                    {
                        return false;
                    }
                    packets[n] = new TransportCcPacket((ushort)(header.BaseSequence + n), (TransportCcStatus)symbol, 0);
                    n++;
                }
            }
        }
        // Pass 2: deltas for received packets, in order.
        for (var i = 0; i < total; i++)
        {
            var p = packets[i];
            if (p.Status == TransportCcStatus.SmallDelta)
            {
                if (fci.Length - pos < 1)
                {
                    return false;
                }
                packets[i] = p with { DeltaTicks = fci[pos] };
                pos += 1;
            }
            else if (p.Status == TransportCcStatus.LargeDelta)
            {
                if (fci.Length - pos < 2)
                {
                    return false;
                }
                packets[i] = p with { DeltaTicks = BinaryPrimitives.ReadInt16BigEndian(fci[pos..]) };
                pos += 2;
            }
        }
        return true;
    }
}
