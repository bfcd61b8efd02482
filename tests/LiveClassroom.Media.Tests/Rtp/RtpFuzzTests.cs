using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Rtp.Codecs;

namespace LiveClassroom.Media.Tests.Rtp;

public sealed class RtpFuzzTests
{
    private static byte[] Sample(bool twoByte, byte firstPayloadByte)
    {
        var ext = new byte[64];
        var w = new RtpExtensionWriter(ext, twoByte);
        w.Add(1, [0x85]);
        w.Add(3, [0, 1]);
        w.Add(4, "0"u8);
        w.Add(10, "f"u8);
        var extLength = w.Finish();
        var buffer = new byte[300];
        var n = RtpHeaderWriter.Write(buffer, 96, true, 1, 2, 3, [9u], w.Profile, ext.AsSpan(0, extLength));
        buffer[n] = firstPayloadByte;
        buffer[n + 1] = 0xE0;
        buffer[n + 2] = 0x80;
        buffer.AsSpan(n + 3, 60).Fill(0x11);
        return buffer.AsSpan(0, n + 63).ToArray();
    }

    [Fact]
    public void Parsers_100kMalformedPackets_NeverThrowAndReportFailures()
    {
        byte[][] samples = [Sample(false, 0x90), Sample(true, 0x7C), Sample(false, 0x78)];
        int headerFailures = 0, extensionMalformed = 0, ok = 0;
        var scratch = new byte[4096];

        FuzzInputs.Run(3, 100_000, samples, (buffer, length) =>
        {
            var packet = buffer.AsSpan(0, length);
            if (RtpHeader.TryParse(packet, out var h) != RtpParseError.None)
            {
                headerFailures++;
                return;
            }
            ok++;
            var e = new RtpExtensionEnumerator(packet, h);
            while (e.MoveNext())
            {
            }
            if (e.IsMalformed)
            {
                extensionMalformed++;
            }
            _ = RtpExtensions.TryGetMid(packet, h, 4, out _);
            _ = RtpExtensions.TryGetRid(packet, h, 10, out _);
            _ = RtpExtensions.TryGetAudioLevel(packet, h, 1, out _, out _);
            _ = RtpExtensions.TrySetTransportSequenceNumber(packet, h, 3, 7);
            _ = RtpExtensions.TryRewriteId(packet, h, 4, 5);
            _ = Vp8Payload.TryParse(h.Payload(packet), out _);
            _ = H264Payload.TryParse(h.Payload(packet), out _);
            packet.CopyTo(scratch);
            _ = RtxPacket.TryUnwrap(scratch.AsSpan(0, length), 96, 1, out _);
        });

        Assert.True(headerFailures > 20_000, $"header failures {headerFailures}");
        Assert.True(ok > 10_000, $"ok {ok}");
        Assert.True(extensionMalformed > 0);
    }
}
