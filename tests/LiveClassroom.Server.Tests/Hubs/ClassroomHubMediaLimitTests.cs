using System.Text;
using LiveClassroom.Testing.SignalR;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// What the SFU publishes and how large an offer may be, through the hub and the class grain to the real SFU
/// (issue #12, item 2): the room's rules, not the offer, decide what a participant publishes.
/// </summary>
public sealed class ClassroomHubMediaLimitTests(SfuHubServerFactory factory) : IClassFixture<SfuHubServerFactory>
{
    private static readonly string Fingerprint = string.Join(':', Enumerable.Repeat("AB", 32));

    [Fact]
    public async Task Negotiate_ObserverOfferWithASendonlyVideo_IsAnsweredInactiveAndPublishesNoTrack()
    {
        var (classId, lead) = await LiveClassAsync();
        await using (lead)
        {
            await using var observer = await factory.ConnectAsync(factory.TokenFor("researcher"));
            await observer.InvokeAsync("JoinClass", classId);

            var result = await observer.InvokeAsync("Negotiate", classId, Offer(("video", "0", "sendonly"), ("video", "1", "recvonly")),
                new { publish = (object?)null, receiveSlots = new[] { new { name = "main", mid = "1" } } });

            var answer = (string)result!["sdpAnswer"]!;
            Assert.Equal("inactive", DirectionOf(answer, "0"));
            Assert.Equal("sendonly", DirectionOf(answer, "1"));
            var room = factory.Sfu.GetRoom(classId)!;
            Assert.Throws<KeyNotFoundException>(() => room.Tap((string)result["peerId"]!, "0", (_, _) => { }));
        }
    }

    [Fact]
    public async Task Negotiate_LeadDeclaringItsCamera_PublishesOnlyThatMid()
    {
        var (classId, lead) = await LiveClassAsync();
        await using (lead)
        {
            var result = await lead.InvokeAsync("Negotiate", classId,
                Offer(("video", "0", "sendonly"), ("video", "1", "sendonly"), ("video", "2", "recvonly")),
                new { publish = new { camera = "0" }, receiveSlots = new[] { new { name = "stage1", mid = "2" } } });

            var answer = (string)result!["sdpAnswer"]!;
            Assert.Equal("recvonly", DirectionOf(answer, "0"));
            Assert.Equal("inactive", DirectionOf(answer, "1"));
            var room = factory.Sfu.GetRoom(classId)!;
            var peer = (string)result["peerId"]!;
            room.Tap(peer, "0", (_, _) => { }).Dispose();
            Assert.Throws<KeyNotFoundException>(() => room.Tap(peer, "1", (_, _) => { }));
        }
    }

    [Fact]
    public async Task Negotiate_OfferWithAHundredMediaSections_InvalidInputSayingTheLimit()
    {
        var (classId, lead) = await LiveClassAsync();
        await using (lead)
        {
            var sections = Enumerable.Range(0, 100).Select(i => ("video", i.ToString(System.Globalization.CultureInfo.InvariantCulture), "recvonly")).ToArray();

            var error = await Assert.ThrowsAsync<HubInvocationException>(() => lead.InvokeAsync("Negotiate", classId, Offer(sections),
                new { publish = (object?)null, receiveSlots = new[] { new { name = "main", mid = "0" } } }));

            Assert.Equal("invalid_input", error.Code);
            Assert.Contains("at most 40", (string?)error.Details?["message"], StringComparison.Ordinal);
            // The class runs on and the lead can still negotiate a sensible offer.
            var ok = await lead.InvokeAsync("Negotiate", classId, Offer(("video", "0", "recvonly")),
                new { publish = (object?)null, receiveSlots = new[] { new { name = "main", mid = "0" } } });
            Assert.StartsWith("v=0", (string?)ok!["sdpAnswer"], StringComparison.Ordinal);
        }
    }

    private async Task<(string ClassId, HubTestClient Lead)> LiveClassAsync()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        return (classId, lead);
    }

    internal static string Offer(params (string Kind, string Mid, string Direction)[] sections)
    {
        var sb = new StringBuilder("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        foreach (var (kind, mid, direction) in sections)
        {
            sb.Append(kind == "audio" ? "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\n" : "m=video 9 UDP/TLS/RTP/SAVPF 96\r\n");
            sb.Append("c=IN IP4 0.0.0.0\r\na=ice-ufrag:abcd\r\na=ice-pwd:0123456789abcdefghijkl\r\n");
            sb.Append($"a=fingerprint:sha-256 {Fingerprint}\r\na=setup:actpass\r\na=mid:{mid}\r\na={direction}\r\na=rtcp-mux\r\n");
            sb.Append(kind == "audio" ? "a=rtpmap:111 opus/48000/2\r\n" : "a=rtpmap:96 VP8/90000\r\n");
        }
        return sb.ToString();
    }

    private static string? DirectionOf(string answer, string mid)
    {
        var section = answer.Split("m=").FirstOrDefault(s => s.Contains($"a=mid:{mid}\r\n", StringComparison.Ordinal));
        return section?.Split("\r\n").FirstOrDefault(l => l is "a=sendrecv" or "a=sendonly" or "a=recvonly" or "a=inactive")?[2..];
    }
}
