using System.Net;
using LiveClassroom.Media.Sdp;

namespace LiveClassroom.Media.Tests.Sdp;

/// <summary>Renegotiation through the façade (a real MediaServer on a loopback port; no browser).</summary>
public sealed class RenegotiationTests : IDisposable
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestVectors", "chrome156-offer-simulcast.sdp"));
    private readonly MediaServer _server = new(new MediaServerOptions { BindAddress = IPAddress.Loopback, AdvertisedAddresses = [IPAddress.Loopback] });

    [Fact]
    public void Negotiate_SameOfferTwice_SlotSsrcsStayStable()
    {
        var room = _server.CreateRoom("r");
        var first = SdpParser.Parse(room.Negotiate("p", ChromeOffer));
        var second = SdpParser.Parse(room.Negotiate("p", ChromeOffer));

        Assert.Equal(first.Media[3].Ssrcs[0].Ssrc, second.Media[3].Ssrcs[0].Ssrc);
        Assert.Equal(first.Media[2].Ssrcs[0].Ssrc, second.Media[2].Ssrcs[0].Ssrc);
        Assert.Equal(first.IceUfragOf(first.Media[0]), second.IceUfragOf(second.Media[0]));
    }

    [Fact]
    public void Negotiate_IceRestartOffer_AnswersWithNewCredentialsAndKeepsSlots()
    {
        var room = _server.CreateRoom("r");
        var first = SdpParser.Parse(room.Negotiate("p", ChromeOffer));
        var offer = SdpParser.Parse(ChromeOffer);
        var oldUfrag = offer.IceUfragOf(offer.Media[0])!;
        var restarted = ChromeOffer.Replace("a=ice-ufrag:" + oldUfrag, "a=ice-ufrag:zzzz9", StringComparison.Ordinal);

        var second = SdpParser.Parse(room.Negotiate("p", restarted));

        Assert.NotEqual(first.IceUfragOf(first.Media[0]), second.IceUfragOf(second.Media[0]));
        Assert.Equal(first.Media[3].Ssrcs[0].Ssrc, second.Media[3].Ssrcs[0].Ssrc);
    }

    [Fact]
    public void Negotiate_SendTransceiverStopped_TrackIsUnpublished()
    {
        var room = _server.CreateRoom("r");
        var unpublished = new List<string>();
        var done = new ManualResetEventSlim();
        _server.TrackUnpublished += (_, e) =>
        {
            unpublished.Add(e.Mid);
            done.Set();
        };
        room.Negotiate("p", ChromeOffer);
        // Chrome marks a stopped transceiver with port 0 in its next offer.
        var lines = ChromeOffer.Split("\r\n");
        var videoLine = Array.FindIndex(lines, l => l.StartsWith("m=video 9", StringComparison.Ordinal));
        lines[videoLine] = lines[videoLine].Replace("m=video 9", "m=video 0", StringComparison.Ordinal);

        var answer = SdpParser.Parse(room.Negotiate("p", string.Join("\r\n", lines)));

        Assert.True(done.Wait(TimeSpan.FromSeconds(5)));
        Assert.Equal(["1"], unpublished);
        Assert.Equal(0, answer.Media[1].Port);
        Assert.DoesNotContain("1", answer.Bundle);
    }

    [Fact]
    public void Negotiate_OfferWithoutFingerprint_Throws()
    {
        var room = _server.CreateRoom("r");
        var stripped = string.Join("\r\n", ChromeOffer.Split("\r\n").Where(l => !l.StartsWith("a=fingerprint", StringComparison.Ordinal)));
        Assert.Throws<SdpFormatException>(() => room.Negotiate("p", stripped));
    }

    public void Dispose() => _server.Dispose();
}
