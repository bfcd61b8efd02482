using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 4585 §6.2.1: generic NACK FCI entries of PID (16) + BLP (16): PID lost, and PID+i+1 lost for each set bit i.
internal static class RtcpNack
{
    public const int EntryLength = 4;

    /// <summary>Expands the FCI into lost sequence numbers; returns how many were written (stops when the destination is full).</summary>
    public static int Expand(ReadOnlySpan<byte> fci, Span<ushort> lost)
    {
        var count = 0;
        for (var at = 0; at + EntryLength <= fci.Length; at += EntryLength)
        {
            var pid = BinaryPrimitives.ReadUInt16BigEndian(fci[at..]);
            var blp = BinaryPrimitives.ReadUInt16BigEndian(fci[(at + 2)..]);
            if (count == lost.Length)
            {
                return count;
            }
            lost[count++] = pid;
            for (var bit = 0; bit < 16; bit++)
            {
                if ((blp & (1 << bit)) == 0)
                {
                    continue;
                }
                if (count == lost.Length)
                {
                    return count;
                }
                lost[count++] = (ushort)(pid + bit + 1);
            }
        }
        return count;
    }

    /// <summary>
    /// Packs sequence numbers (in ascending order modulo 2^16) into FCI entries; returns the FCI length, or -1 if the
    /// destination is too small.
    /// </summary>
    public static int WriteFci(Span<byte> destination, ReadOnlySpan<ushort> lost)
    {
        var length = 0;
        var i = 0;
        while (i < lost.Length)
        {
            if (destination.Length - length < EntryLength)
            {
                return -1;
            }
            var pid = lost[i++];
            ushort blp = 0;
            while (i < lost.Length)
            {
                var offset = (ushort)(lost[i] - pid);
                if (offset == 0)
                {
                    i++;
                    continue;
                }
                if (offset > 16)
                {
                    break;
                }
                blp |= (ushort)(1 << (offset - 1));
                i++;
            }
            BinaryPrimitives.WriteUInt16BigEndian(destination[length..], pid);
            BinaryPrimitives.WriteUInt16BigEndian(destination[(length + 2)..], blp);
            length += EntryLength;
        }
        return length;
    }
}
