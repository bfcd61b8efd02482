using System.Buffers.Binary;
using LiveClassroom.Media.Srtp;

namespace LiveClassroom.Media.Tests.Srtp;

public sealed class SrtpSequenceWrapTests
{
    private const int PacketsPerSsrc = 70_000;

    [Theory]
    [InlineData((int)SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData((int)SrtpProfile.AeadAes128Gcm)]
    public void Unprotect_SeventyThousandPacketsOnThreeSsrcsAcrossWrap_KeepsRocInStep(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var key = SrtpTestPackets.Key(SrtpProfileInfo.KeyLength(profile), 11);
        var salt = SrtpTestPackets.Key(SrtpProfileInfo.SaltLength(profile), 200);
        using var sender = SrtpContext.Create(profile, key, salt);
        using var receiver = SrtpContext.Create(profile, key, salt);
        uint[] ssrcs = [0x1000, 0x2000, 0x3000];
        ushort[] starts = [65500, 65535, 60000];
        var buffer = new byte[256];
        var held = new List<byte[]>[] { [], [], [] };
        var firstPackets = new byte[ssrcs.Length][];

        for (var i = 0; i < PacketsPerSsrc; i++)
        {
            for (var s = 0; s < ssrcs.Length; s++)
            {
                var seq = (ushort)(starts[s] + i);
                var length = SrtpTestPackets.WriteRtp(buffer, ssrcs[s], seq, 20, (byte)i);
                Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, length, out var protectedLength));
                var packet = buffer.AsSpan(0, protectedLength).ToArray();
                if (i == 0)
                {
                    firstPackets[s] = packet.ToArray();
                }
                // Around each stream's wrap, hold the last two packets before it and release them after seq 2:
                // the receiver must place them in the old ROC although it already moved to the new one.
                // (Never the stream's first packet: a receiver has no way to place a stream's first packet in a
                // ROC other than 0, RFC 3711 §3.3.1.)
                if (seq is 65534 or 65535 && i > 0)
                {
                    held[s].Add(packet);
                    continue;
                }
                Deliver(receiver, packet, ssrcs[s], seq, (byte)i);
                if (seq == 2)
                {
                    foreach (var late in held[s])
                    {
                        var lateSeq = BinaryPrimitives.ReadUInt16BigEndian(late.AsSpan(2));
                        Deliver(receiver, late, ssrcs[s], lateSeq, null);
                    }
                    held[s].Clear();
                }
            }
        }

        for (var s = 0; s < ssrcs.Length; s++)
        {
            var expectedRoc = (uint)((starts[s] + PacketsPerSsrc - 1) >> 16);
            Assert.Equal(expectedRoc, receiver.GetRolloverCounter(ssrcs[s]));
            Assert.Equal(expectedRoc, sender.GetRolloverCounter(ssrcs[s]));
            // A packet from the first lap replayed now is far outside the window.
            Assert.NotEqual(SrtpStatus.Ok, receiver.UnprotectRtp(firstPackets[s], out _));
        }
        Assert.Equal(0, receiver.FailureCount(SrtpStatus.AuthenticationFailed));
    }

    private static void Deliver(SrtpContext receiver, byte[] packet, uint ssrc, ushort seq, byte? fill)
    {
        Assert.Equal(SrtpStatus.Ok, receiver.UnprotectRtp(packet, out var plainLength));
        Assert.Equal(32, plainLength);
        Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(packet.AsSpan(8)));
        Assert.Equal(seq, BinaryPrimitives.ReadUInt16BigEndian(packet.AsSpan(2)));
        if (fill is byte f)
        {
            Assert.Equal(f, packet[12]);
            Assert.Equal(f, packet[31]);
        }
    }
}
