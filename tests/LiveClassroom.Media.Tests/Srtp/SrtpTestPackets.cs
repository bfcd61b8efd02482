using System.Buffers.Binary;

namespace LiveClassroom.Media.Tests.Srtp;

internal static class SrtpTestPackets
{
    public static int WriteRtp(Span<byte> buffer, uint ssrc, ushort seq, int payloadLength, byte fill = 0xAB)
    {
        buffer[0] = 0x80;
        buffer[1] = 96;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], seq);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], seq * 3000u);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[8..], ssrc);
        buffer.Slice(12, payloadLength).Fill(fill);
        return 12 + payloadLength;
    }

    public static int WriteReceiverReport(Span<byte> buffer, uint ssrc)
    {
        buffer[0] = 0x80;
        buffer[1] = 201;
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 1);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], ssrc);
        return 8;
    }

    public static byte[] Key(int length, byte seed)
    {
        var key = new byte[length];
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = (byte)(seed + (i * 7));
        }
        return key;
    }
}
