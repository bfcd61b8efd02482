using LiveClassroom.Media.Srtp;

namespace LiveClassroom.Media.Tests.Srtp;

public sealed class SrtpFuzzTests
{
    [Theory]
    [InlineData((int)SrtpProfile.AesCm128HmacSha1_80)]
    [InlineData((int)SrtpProfile.AeadAes128Gcm)]
    public void Unprotect_50kMalformedPackets_NeverThrowsAndRejectsForgeries(int profileId)
    {
        var profile = (SrtpProfile)profileId;
        var key = SrtpTestPackets.Key(SrtpProfileInfo.KeyLength(profile), 1);
        var salt = SrtpTestPackets.Key(SrtpProfileInfo.SaltLength(profile), 2);
        using var sender = SrtpContext.Create(profile, key, salt);
        using var receiver = SrtpContext.Create(profile, key, salt);
        var buffer = new byte[400];
        var length = SrtpTestPackets.WriteRtp(buffer, 5, 100, 200);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtp(buffer, length, out var rtpLength));
        var rtp = buffer.AsSpan(0, rtpLength).ToArray();
        length = SrtpTestPackets.WriteReceiverReport(buffer, 5);
        Assert.Equal(SrtpStatus.Ok, sender.ProtectRtcp(buffer, length, out var rtcpLength));
        var rtcp = buffer.AsSpan(0, rtcpLength).ToArray();
        var accepted = 0;

        FuzzInputs.Run(5, 50_000, [rtp, rtcp], (input, inputLength) =>
        {
            var packet = input.AsSpan(0, inputLength);
            var status = packet.Length > 1 && packet[1] is >= 192 and <= 223
                ? receiver.UnprotectRtcp(packet, out _)
                : receiver.UnprotectRtp(packet, out _);
            if (status == SrtpStatus.Ok)
            {
                accepted++;
            }
        });

        // Only the two untouched samples (and byte flips that happened to write the same value) authenticate.
        Assert.InRange(accepted, 2, 200);
        Assert.True(receiver.FailureCount(SrtpStatus.AuthenticationFailed) > 10_000);
        Assert.True(receiver.FailureCount(SrtpStatus.TooShort) > 0);
    }
}
