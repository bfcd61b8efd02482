using LiveClassroom.Media.Dtls;

namespace LiveClassroom.Media.Tests.Dtls;

public sealed class DtlsRecordHeaderTests
{
    [Fact]
    public void TryParseDatagram_TwoWellFormedRecords_CountsBoth()
    {
        byte[] datagram = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0xAA, 0xBB, 20, 0xFE, 0xFD, 0, 1, 0, 0, 0, 0, 0, 2, 0, 1, 1];

        Assert.True(DtlsRecordHeader.TryParseDatagram(datagram, out var count));
        Assert.Equal(2, count);
        Assert.True(DtlsRecordHeader.TryParse(datagram, out var header));
        Assert.Equal((22, 0xFEFD, 0, 1L, 2), (header.ContentType, header.Version, header.Epoch, header.SequenceNumber, header.Length));
    }

    [Fact]
    public void TryParseDatagram_LengthBeyondTheDatagram_Rejects()
    {
        byte[] datagram = [22, 0xFE, 0xFD, 0, 0, 0, 0, 0, 0, 0, 1, 0x40, 0, 1, 2];

        Assert.False(DtlsRecordHeader.TryParseDatagram(datagram, out _));
    }

    [Fact]
    public void TryParseDatagram_RandomGarbage_NeverThrows()
    {
        var random = new Random(1234);
        var buffer = new byte[64];
        var accepted = 0;
        for (var i = 0; i < 200_000; i++)
        {
            var length = random.Next(0, buffer.Length + 1);
            random.NextBytes(buffer.AsSpan(0, length));
            if (i % 3 == 0 && length > 0)
            {
                buffer[0] = (byte)random.Next(20, 24);
            }
            if (DtlsRecordHeader.TryParseDatagram(buffer.AsSpan(0, length), out _))
            {
                accepted++;
            }
        }
        Assert.True(accepted < 200_000);
    }
}
