using System.Net;
using LiveClassroom.Media.Sdp;

namespace LiveClassroom.Media.Tests.Sdp;

public sealed class SdpTests
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestVectors", "chrome156-offer-simulcast.sdp"));

    [Fact]
    public void Parse_Chrome156Offer_ReadsBundleIceDtlsAndSimulcast()
    {
        var offer = SdpParser.Parse(ChromeOffer);

        Assert.Equal(["0", "1", "2", "3"], offer.Bundle);
        Assert.Equal(4, offer.Media.Count);
        Assert.Equal("sha-256", offer.FingerprintAlgorithmOf(offer.Media[0]));
        Assert.Equal(95, offer.FingerprintOf(offer.Media[0])!.Length);
        Assert.NotNull(offer.IceUfragOf(offer.Media[0]));
        Assert.Equal("actpass", offer.Media[0].Setup);
        var video = offer.Media[1];
        Assert.Equal(SdpDirection.SendOnly, video.Direction);
        Assert.Equal(["q", "h", "f"], video.SimulcastSend);
        Assert.Equal(3, video.Rids.Count);
        Assert.Equal(4, video.ExtensionId(SdpExtensionUris.Mid));
        Assert.Equal(10, video.ExtensionId(SdpExtensionUris.Rid));
        Assert.Equal(11, video.ExtensionId(SdpExtensionUris.RepairedRid));
        Assert.Equal(SdpDirection.RecvOnly, offer.Media[3].Direction);
        Assert.True(offer.Media[0].RtcpMux && offer.Media[0].RtcpRsize);
        Assert.Equal(0, offer.MalformedLines);
    }

    [Theory]
    [InlineData(VideoCodecPreference.H264, "H264", 108, 109)]
    [InlineData(VideoCodecPreference.Vp8, "VP8", 96, 97)]
    public void Negotiate_Chrome156Offer_PicksThePreferredVideoCodecWithItsRtx(VideoCodecPreference preference, string name, int pt, int rtx)
    {
        var negotiated = SdpNegotiator.Negotiate(SdpParser.Parse(ChromeOffer), preference, transportCc: false);

        var video = negotiated[1];
        Assert.Equal(name, video.ReceiveCodec!.Name);
        Assert.Equal(pt, video.ReceiveCodec.PayloadType);
        Assert.Equal(rtx, video.ReceiveRtxPayloadType);
        Assert.True(video.Nack && video.Pli && video.Fir && video.Remb);
        Assert.Null(video.TransportCcExtensionId);
        if (name == "H264")
        {
            Assert.Contains("profile-level-id=42e01f", video.ReceiveCodec.Fmtp, StringComparison.Ordinal);
            Assert.Contains("packetization-mode=1", video.ReceiveCodec.Fmtp, StringComparison.Ordinal);
        }
        Assert.Equal("opus", negotiated[0].ReceiveCodec!.Name);
        // A receive slot may be fed by either codec, so both are offered to the subscriber.
        Assert.Equal(2, negotiated[3].SendCodecs.Count);
    }

    [Fact]
    public void Write_DownlinkTransportCc_AudioSlotsCarryItToo()
    {
        // The SFU stamps what it sends on a subscriber's audio slots as well as its video slots, so the subscriber's
        // transport-wide feedback, and the estimate built from it, cover the audio's share of the link.
        var offer = SdpParser.Parse(ChromeOffer);
        var negotiated = SdpNegotiator.Negotiate(offer, VideoCodecPreference.H264, transportCc: false, downlinkTransportCc: true);
        var local = new SdpLocalParameters("ufrag123", "passwordpasswordpassword", "AA:BB", [new IPEndPoint(IPAddress.Loopback, 40000)], 42, 2);
        var slots = new Dictionary<string, SdpSendSlot>
        {
            ["2"] = new(1111, "sfu", "s", "a"),
            ["3"] = new(2222, "sfu", "s", "v"),
        };

        var text = SdpAnswerWriter.Write(offer, negotiated, local, slots);
        var audioSection = text[text.IndexOf("a=mid:2\r\n", StringComparison.Ordinal)..text.IndexOf("m=video", text.IndexOf("a=mid:2\r\n", StringComparison.Ordinal), StringComparison.Ordinal)];

        Assert.Equal(3, negotiated[2].TransportCcExtensionId);
        Assert.Equal(3, negotiated[3].TransportCcExtensionId);
        // What the SFU receives gets no feedback from it (publishers get REMB).
        Assert.Null(negotiated[0].TransportCcExtensionId);
        Assert.Contains("a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n", audioSection, StringComparison.Ordinal);
        Assert.Contains("a=rtcp-fb:111 transport-cc\r\n", audioSection, StringComparison.Ordinal);
    }

    [Fact]
    public void Write_AnswerToChrome156Offer_IsIceLitePassiveBundledWithSimulcastRecvAndSlotSsrcs()
    {
        var offer = SdpParser.Parse(ChromeOffer);
        var negotiated = SdpNegotiator.Negotiate(offer, VideoCodecPreference.H264, transportCc: false);
        var local = new SdpLocalParameters("ufrag123", "passwordpasswordpassword", "AA:BB", [new IPEndPoint(IPAddress.Loopback, 40000)], 42, 2);
        var slots = new Dictionary<string, SdpSendSlot>
        {
            ["2"] = new(1111, "sfu", "s", "a"),
            ["3"] = new(2222, "sfu", "s", "v"),
        };

        var text = SdpAnswerWriter.Write(offer, negotiated, local, slots);
        var answer = SdpParser.Parse(text);

        Assert.Contains("a=ice-lite\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=group:BUNDLE 0 1 2 3\r\n", text, StringComparison.Ordinal);
        Assert.Contains(" 127.0.0.1 40000 typ host", text, StringComparison.Ordinal);
        Assert.Contains("a=simulcast:recv q;h;f\r\n", text, StringComparison.Ordinal);
        Assert.Contains("a=rid:f recv\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("transport-cc", text, StringComparison.Ordinal);
        Assert.All(answer.Media, m => Assert.Equal("passive", m.Setup));
        Assert.Equal(
            [SdpDirection.RecvOnly, SdpDirection.RecvOnly, SdpDirection.SendOnly, SdpDirection.SendOnly],
            answer.Media.Select(m => m.Direction));
        Assert.Equal(["108", "109"], answer.Media[1].Formats);
        Assert.Contains(answer.Media[3].Ssrcs, s => s.Ssrc == 2222 && s.Attribute == "cname");
        Assert.Equal("s v", answer.Media[3].Msid);
        Assert.Equal(0, answer.MalformedLines);
    }

    [Fact]
    public void Write_WithTcpCandidates_AddsPassiveTcpHostCandidatesAfterUdp()
    {
        var offer = SdpParser.Parse(ChromeOffer);
        var negotiated = SdpNegotiator.Negotiate(offer, VideoCodecPreference.Vp8, transportCc: false);
        var local = new SdpLocalParameters("ufrag123", "passwordpasswordpassword", "AA:BB", [new IPEndPoint(IPAddress.Loopback, 40000)], 1, 1)
        {
            TcpCandidates = [new IPEndPoint(IPAddress.Loopback, 40001)],
        };

        var answer = SdpParser.Parse(SdpAnswerWriter.Write(offer, negotiated, local, new Dictionary<string, SdpSendSlot>()));

        Assert.Equal(2, answer.Media[0].Candidates.Count);
        Assert.EndsWith("127.0.0.1 40001 typ host tcptype passive generation 0", answer.Media[0].Candidates[1], StringComparison.Ordinal);
        Assert.Contains(" udp ", answer.Media[0].Candidates[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_RandomGarbage_NeverThrows()
    {
        var random = new Random(99);
        var alphabet = "am=:/ \r\n0123456789abc;".ToCharArray();
        for (var i = 0; i < 2000; i++)
        {
            var chars = new char[random.Next(0, 300)];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = alphabet[random.Next(alphabet.Length)];
            }
            var parsed = SdpParser.Parse(new string(chars));
            Assert.NotNull(parsed);
        }
    }

    [Fact]
    public void Negotiate_OfferWithoutMedia_ThrowsSdpFormatException()
    {
        Assert.Throws<SdpFormatException>(() => SdpNegotiator.Negotiate(SdpParser.Parse("v=0\r\ns=-\r\n"), VideoCodecPreference.Vp8, false));
    }

    [Fact]
    public void Negotiate_DuplicateMid_ThrowsSdpFormatException()
    {
        var duplicated = ChromeOffer.Replace("a=mid:1\r\n", "a=mid:0\r\n", StringComparison.Ordinal);
        Assert.Throws<SdpFormatException>(() => SdpNegotiator.Negotiate(SdpParser.Parse(duplicated), VideoCodecPreference.Vp8, false));
    }
}
