// RFC 6347 §4.1: DTLS record header = type(1) version(2) epoch(2) sequence_number(6) length(2).
using System.Buffers.Binary;

namespace LiveClassroom.Media.Dtls;

/// <summary>One parsed record header; <see cref="TryParseDatagram"/> walks every record of a datagram without trusting any length.</summary>
internal readonly record struct DtlsRecordHeader(byte ContentType, ushort Version, ushort Epoch, long SequenceNumber, int Length)
{
    public const int Size = 13;

    // RFC 6347 §4.1 content types (RFC 5246 §6.2.1) valid in DTLS 1.2.
    public const byte ChangeCipherSpec = 20;
    public const byte Alert = 21;
    public const byte Handshake = 22;
    public const byte ApplicationData = 23;

    public static bool TryParse(ReadOnlySpan<byte> data, out DtlsRecordHeader header)
    {
        header = default;
        if (data.Length < Size)
        {
            return false;
        }
        var type = data[0];
        if (type is < ChangeCipherSpec or > ApplicationData)
        {
            return false;
        }
        var version = BinaryPrimitives.ReadUInt16BigEndian(data[1..]);
        // DTLS 1.0 is 0xFEFF, 1.2 is 0xFEFD; a DTLS 1.3-capable ClientHello still uses one of them in the record.
        if (version is not (0xFEFF or 0xFEFD))
        {
            return false;
        }
        var epoch = BinaryPrimitives.ReadUInt16BigEndian(data[3..]);
        var sequence = ((long)BinaryPrimitives.ReadUInt16BigEndian(data[5..]) << 32) | BinaryPrimitives.ReadUInt32BigEndian(data[7..]);
        var length = BinaryPrimitives.ReadUInt16BigEndian(data[11..]);
        // RFC 6347 §4.1: length must not exceed 2^14 + 2048.
        if (length > 16384 + 2048 || length > data.Length - Size)
        {
            return false;
        }
        header = new DtlsRecordHeader(type, version, epoch, sequence, length);
        return true;
    }

    /// <summary>True when the datagram is one or more complete, well-formed records and nothing else.</summary>
    public static bool TryParseDatagram(ReadOnlySpan<byte> datagram, out int recordCount)
    {
        recordCount = 0;
        while (!datagram.IsEmpty)
        {
            if (!TryParse(datagram, out var header))
            {
                return false;
            }
            datagram = datagram[(Size + header.Length)..];
            recordCount++;
        }
        return recordCount > 0;
    }
}
