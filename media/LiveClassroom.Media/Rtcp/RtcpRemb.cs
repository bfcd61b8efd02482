using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// draft-alvestrand-rmcat-remb-03 §2.2: PSFB FMT 15, media SSRC 0, FCI "REMB" | Num SSRC (8) | BR Exp (6) |
// BR Mantissa (18) | SSRC feedback list.
internal static class RtcpRemb
{
    public const int MinFciLength = 8;

    /// <summary>Reads the estimate in bits per second; <paramref name="ssrcCount"/> SSRCs follow at FCI offset 8.</summary>
    public static bool TryParse(ReadOnlySpan<byte> fci, out ulong bitrateBps, out int ssrcCount)
    {
        bitrateBps = 0;
        ssrcCount = 0;
        if (fci.Length < MinFciLength || !fci[..4].SequenceEqual("REMB"u8))
        {
            return false;
        }
        var count = fci[4];
        if (fci.Length < MinFciLength + (4 * count))
        {
            return false;
        }
        var exponent = fci[5] >> 2;
        var mantissa = ((fci[5] & 0x03) << 16) | (fci[6] << 8) | fci[7];
        // A 6-bit exponent can exceed 64 bits of range; saturate instead of wrapping.
        bitrateBps = exponent > 46 ? ulong.MaxValue : (ulong)mantissa << exponent;
        ssrcCount = count;
        return true;
    }

    public static uint GetSsrc(ReadOnlySpan<byte> fci, int index) => BinaryPrimitives.ReadUInt32BigEndian(fci[(MinFciLength + (4 * index))..]);

    /// <summary>Encodes a bitrate as (exponent, 18-bit mantissa), rounding down.</summary>
    public static (int Exponent, int Mantissa) Encode(ulong bitrateBps)
    {
        var exponent = 0;
        while ((bitrateBps >> exponent) > 0x3FFFF)
        {
            exponent++;
        }
        return (exponent, (int)(bitrateBps >> exponent));
    }
}
