using System.Net;
using System.Text;
using LiveClassroom.Media.Sdp;

namespace LiveClassroom.Media.Tests.Sdp;

/// <summary>What an offer may publish and how large it may be, through the façade (a real MediaServer; no browser).</summary>
public sealed class PublishPolicyTests : IDisposable
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestVectors", "chrome156-offer-simulcast.sdp"));
    private readonly MediaServer _server = new(new MediaServerOptions { BindAddress = IPAddress.Loopback, AdvertisedAddresses = [IPAddress.Loopback] });

    [Fact]
    public void Negotiate_ObserverSendonlyOffer_AnswersInactiveAndPublishesNoTrack()
    {
        var room = _server.CreateRoom("r");
        var observer = new MediaNegotiationOptions { PublishMids = new Dictionary<string, string>() };

        var answer = SdpParser.Parse(room.Negotiate("observer", ChromeOffer, observer));

        Assert.Equal(SdpDirection.Inactive, answer.Media[0].Direction);
        Assert.Equal(SdpDirection.Inactive, answer.Media[1].Direction);
        Assert.Empty(answer.Media[1].Rids);
        // Its receive slots still work.
        Assert.Equal(SdpDirection.SendOnly, answer.Media[3].Direction);
        Assert.Throws<KeyNotFoundException>(() => room.Tap("observer", "0", (_, _) => { }));
        Assert.Throws<KeyNotFoundException>(() => room.Tap("observer", "1", (_, _) => { }));
    }

    [Fact]
    public void Negotiate_OnlyDeclaredMidOfTheRightKind_IsPublished()
    {
        var room = _server.CreateRoom("r");
        // The camera mid is declared; the microphone is declared under the video mid's kind, so it is not audio here.
        var options = new MediaNegotiationOptions { PublishMids = new Dictionary<string, string> { ["1"] = "video", ["0"] = "video" } };

        var answer = SdpParser.Parse(room.Negotiate("student", ChromeOffer, options));

        Assert.Equal(SdpDirection.Inactive, answer.Media[0].Direction);
        Assert.Equal(SdpDirection.RecvOnly, answer.Media[1].Direction);
        Assert.Throws<KeyNotFoundException>(() => room.Tap("student", "0", (_, _) => { }));
        room.Tap("student", "1", (_, _) => { }).Dispose();
    }

    [Fact]
    public void Negotiate_RenegotiationWithdrawingTheGrant_UnpublishesTheTrack()
    {
        var room = _server.CreateRoom("r");
        room.Negotiate("p", ChromeOffer);
        room.Tap("p", "1", (_, _) => { }).Dispose();

        room.Negotiate("p", ChromeOffer, new MediaNegotiationOptions { PublishMids = new Dictionary<string, string>() });

        Assert.Throws<KeyNotFoundException>(() => room.Tap("p", "1", (_, _) => { }));
    }

    [Fact]
    public void Negotiate_OfferWithAHundredMediaSections_IsRefusedWithTheLimitReason()
    {
        var room = _server.CreateRoom("r");

        var refused = Assert.Throws<MediaNegotiationException>(() => room.Negotiate("p", OfferWithSections(100)));

        Assert.Equal(MediaNegotiationException.TooManyMediaSections, refused.Reason);
        Assert.Contains("at most 40", refused.Message, StringComparison.Ordinal);
        Assert.Empty(room.PeerIds);
    }

    [Fact]
    public void Negotiate_OfferAtTheSectionLimit_IsAnswered()
    {
        var room = _server.CreateRoom("r");

        var answer = SdpParser.Parse(room.Negotiate("p", OfferWithSections(40)));

        Assert.Equal(40, answer.Media.Count);
        Assert.Single(room.PeerIds);
    }

    [Fact]
    public void Negotiate_SimulcastOfferWithManyRids_AnswersAtMostFourLayers()
    {
        var room = _server.CreateRoom("r");
        var rids = new StringBuilder();
        for (var i = 0; i < 20; i++)
        {
            rids.Append($"a=rid:r{i} send\r\n");
        }
        var offer = ChromeOffer.Replace("a=rid:q send\r\n", rids.ToString(), StringComparison.Ordinal)
            .Replace("a=simulcast:send q;h;f", "a=simulcast:send " + string.Join(';', Enumerable.Range(0, 20).Select(i => $"r{i}")) + ";h;f", StringComparison.Ordinal);

        var answer = SdpParser.Parse(room.Negotiate("p", offer));

        Assert.Equal(SdpNegotiator.MaxRids, answer.Media[1].Rids.Count);
    }

    private static string OfferWithSections(int count)
    {
        var sb = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        for (var i = 0; i < count; i++)
        {
            sb.Append("m=video 9 UDP/TLS/RTP/SAVPF 96\r\nc=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\na=ice-pwd:abcdefghijklmnopqrstuvwx\r\n");
            sb.Append("a=fingerprint:sha-256 ").Append(string.Join(':', Enumerable.Repeat("AB", 32))).Append("\r\n");
            sb.Append($"a=setup:actpass\r\na=mid:{i}\r\na=recvonly\r\na=rtcp-mux\r\na=rtpmap:96 VP8/90000\r\n");
        }
        return sb.ToString();
    }

    public void Dispose() => _server.Dispose();
}
