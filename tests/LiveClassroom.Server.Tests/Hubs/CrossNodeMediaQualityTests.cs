using LiveClassroom.Grains.Cascade;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Media;
using LiveClassroom.Media.Sfu;
using LiveClassroom.Testing.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// The SFU's media quality notices (audio-first pause, resume, layer) reach the page that holds the media peer when its
/// hub connection is on another node than its media (docs/CASCADE.md, "Media quality notices"; issue #17): raised by the
/// SFU of node B, received on the page's hub connection on node A, in order and by nobody else; and the last one said
/// again to the connection that negotiates next (a hub rejoin). Before, the notice found no connection on B and was dropped.
/// </summary>
public sealed class CrossNodeMediaQualityTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    private static readonly object RecvOnlyMain = new { publish = (object?)null, receiveSlots = new[] { new { name = "main", mid = "0" } } };

    [Fact]
    public async Task SfuOnNodeB_PausesThenResumes_PageOnNodeA_IsToldInOrder_AndAgainAfterItNegotiatesAnew()
    {
        var (a, b) = (cluster.A, cluster.B);
        var classId = await cluster.SetUpClassOnAsync(b);
        var offer = ClassroomHubMediaLimitTests.Offer(("video", "0", "recvonly"));
        await using var lead = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var peer = await NegotiateClaimedAsync(lead, b, classId, offer);
        // Other pages of the class, one on each node: never told of the lead's link.
        await using var observerOnA = await a.ConnectAsync(cluster.TokenFor("researcher"));
        await observerOnA.InvokeAsync("JoinClass", classId);
        await using var ruralOnB = await b.ConnectAsync(cluster.Org.DeviceToken(cluster.Tokens, DemoOrg.RuralSchools[0]));
        await ruralOnB.InvokeAsync("JoinClass", classId);
        // The lead's media is on B's SFU (its class grain's node), its hub connection on A.
        Assert.Contains(peer, b.Sfu.GetRoom(classId)!.PeerIds);
        Assert.Null(a.Sfu.GetRoom(classId));

        Report(b.Sfu, classId, peer, paused: true, layer: null, 95_000);
        Report(b.Sfu, classId, peer, paused: false, layer: "q", 310_000);

        var paused = (await lead.NextEventAsync("MediaQuality")).Argument()!;
        Assert.Equal(classId, (string?)paused["classId"]);
        Assert.True((bool)paused["paused"]!);
        Assert.Null(paused["layer"]);
        Assert.Equal(95, (long)paused["estimateKbps"]!);
        var resumed = (await lead.NextEventAsync("MediaQuality")).Argument()!;
        Assert.False((bool)resumed["paused"]!);
        Assert.Equal("q", (string?)resumed["layer"]);

        // Paused again; then the page's hub connection is replaced (the stall watch) and it negotiates on its surviving
        // peer connection (the same peer on B): the new connection on A is told the video is paused, with nothing new from the SFU.
        Report(b.Sfu, classId, peer, paused: true, layer: null, 90_000);
        Assert.True((bool)(await lead.NextEventAsync("MediaQuality")).Argument()!["paused"]!);
        await using var rejoined = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await rejoined.InvokeAsync("JoinClass", classId);
        Assert.Equal(peer, (string)(await rejoined.InvokeAsync("Negotiate", classId, offer, RecvOnlyMain))!["peerId"]!);

        var repeated = (await rejoined.NextEventAsync("MediaQuality")).Argument()!;
        Assert.True((bool)repeated["paused"]!);
        Assert.Null(repeated["layer"]);
        // Then a real change reaches the new connection only, after the repeat.
        Report(b.Sfu, classId, peer, paused: false, layer: "q", 320_000);
        Assert.Equal("q", (string?)(await rejoined.NextEventAsync("MediaQuality")).Argument()!["layer"]);
        Assert.Equal(3, lead.Events.Count(e => e.Target == "MediaQuality"));
        Assert.DoesNotContain(observerOnA.Events, e => e.Target == "MediaQuality");
        Assert.DoesNotContain(ruralOnB.Events, e => e.Target == "MediaQuality");
    }

    [Fact]
    public async Task PageRejoinsOnTheMediaNode_ToldThere_AndLaterNoticesStayThere()
    {
        var (a, b) = (cluster.A, cluster.B);
        var classId = await cluster.SetUpClassOnAsync(b);
        var offer = ClassroomHubMediaLimitTests.Offer(("video", "0", "recvonly"));
        await using var lead = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var peer = await NegotiateClaimedAsync(lead, b, classId, offer);
        Report(b.Sfu, classId, peer, paused: true, layer: null, 95_000);
        Assert.True((bool)(await lead.NextEventAsync("MediaQuality")).Argument()!["paused"]!);

        // The page's new hub connection lands on B, its media's node (today's same-node path): the repeat is delivered
        // there, and so is the next change, not to the old connection still joined on A.
        await using var rejoined = await b.ConnectAsync(cluster.TokenFor("teacher"));
        await rejoined.InvokeAsync("JoinClass", classId);
        await rejoined.InvokeAsync("Negotiate", classId, offer, RecvOnlyMain);
        Assert.True((bool)(await rejoined.NextEventAsync("MediaQuality")).Argument()!["paused"]!);
        Report(b.Sfu, classId, peer, paused: false, layer: "h", 700_000);

        Assert.Equal("h", (string?)(await rejoined.NextEventAsync("MediaQuality")).Argument()!["layer"]);
        Assert.Equal(1, lead.Events.Count(e => e.Target == "MediaQuality"));
    }

    [Fact]
    public async Task UnknownOrBadIds_AreIgnored_NothingDelivered()
    {
        var (a, b) = (cluster.A, cluster.B);
        var classId = await cluster.SetUpClassOnAsync(b);
        await using var lead = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var peer = await NegotiateClaimedAsync(lead, b, classId, ClassroomHubMediaLimitTests.Offer(("video", "0", "recvonly")));
        var grains = a.Services.GetRequiredService<IGrainFactory>();
        var mediaNodeB = grains.GetGrain<IMediaNodeGrain>(b.NodeId);
        var hubNodeA = grains.GetGrain<IMediaNodeGrain>(a.NodeId);
        var notice = new MediaQualityNotice(true, null, 1_000);

        Assert.False(await mediaNodeB.ClaimQualityNoticesAsync("no-such-class", peer, a.NodeId, 0));
        Assert.False(await mediaNodeB.ClaimQualityNoticesAsync(classId, "", a.NodeId, 0));
        Assert.False(await mediaNodeB.ClaimQualityNoticesAsync(classId, new string('x', 10_000), a.NodeId, 0));
        await hubNodeA.DeliverQualityNoticeAsync("no-such-class", peer, notice);
        await hubNodeA.DeliverQualityNoticeAsync(classId, "not-a-participant", notice);
        await hubNodeA.DeliverQualityNoticeAsync(classId, "", notice);
        // A notice of a peer nobody claimed, raised on B: no connection there holds it, nothing goes anywhere.
        ((ISfuEvents)b.Sfu).MediaQualityChanged(classId, "not-a-participant", true, null, 1_000);
        // Then the lead's own: the first MediaQuality the lead sees is this one, and nothing came before it.
        Report(b.Sfu, classId, peer, paused: false, layer: "f", 2_000_000);

        var first = (await lead.NextEventAsync("MediaQuality")).Argument()!;
        Assert.Equal("f", (string?)first["layer"]);
        Assert.Equal(1, lead.Events.Count(e => e.Target == "MediaQuality"));
    }

    [Fact]
    public async Task Negotiate_ClaimHeldOnTheMediaNode_AnswerComesBackFirst_ThenTheNewConnectionHearsThePause()
    {
        var (a, b) = (cluster.A, cluster.B);
        var classId = await cluster.SetUpClassOnAsync(b);
        var offer = ClassroomHubMediaLimitTests.Offer(("video", "0", "recvonly"));
        await using var lead = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var peer = await NegotiateClaimedAsync(lead, b, classId, offer);
        Report(b.Sfu, classId, peer, paused: true, layer: null, 95_000);
        Assert.True((bool)(await lead.NextEventAsync("MediaQuality")).Argument()!["paused"]!);
        await using var rejoined = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await rejoined.InvokeAsync("JoinClass", classId);

        int completedAtAnswer;
        using (b.Claims.Hold())
        {
            var completedBefore = b.Claims.Completed;
            // The claim goes to B and is held there; the answer comes back all the same. (Were it awaited, the answer
            // would come only once the hold gave up, after the claim: then the count below would have moved.)
            Assert.Equal(peer, (string)(await rejoined.InvokeAsync("Negotiate", classId, offer, RecvOnlyMain))!["peerId"]!);
            completedAtAnswer = b.Claims.Completed - completedBefore;
        }

        Assert.Equal(0, completedAtAnswer);
        // Let go, the claim does what it did when awaited: the new connection hears the video is still paused.
        var repeated = (await rejoined.NextEventAsync("MediaQuality")).Argument()!;
        Assert.True((bool)repeated["paused"]!);
        Report(b.Sfu, classId, peer, paused: false, layer: "q", 300_000);
        Assert.Equal("q", (string?)(await rejoined.NextEventAsync("MediaQuality")).Argument()!["layer"]);
    }

    [Fact]
    public async Task QuickNoticeBeforeTheClaimLands_NewConnectionEndsOnTheLatest_NeverOnAStaleOne()
    {
        var (a, b) = (cluster.A, cluster.B);
        var classId = await cluster.SetUpClassOnAsync(b);
        var offer = ClassroomHubMediaLimitTests.Offer(("video", "0", "recvonly"));
        // The page's first hub connection is on B, its media's node: nobody else claimed its notices.
        await using var lead = await b.ConnectAsync(cluster.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var peer = (string)(await lead.InvokeAsync("Negotiate", classId, offer, RecvOnlyMain))!["peerId"]!;
        Report(b.Sfu, classId, peer, paused: true, layer: null, 95_000);
        Assert.True((bool)(await lead.NextEventAsync("MediaQuality")).Argument()!["paused"]!);
        await using var rejoined = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await rejoined.InvokeAsync("JoinClass", classId);

        using (b.Claims.Hold())
        {
            await rejoined.InvokeAsync("Negotiate", classId, offer, RecvOnlyMain);
            // The answer is out, the claim not yet carried out: the SFU resumes the video at once. That notice goes by
            // the old claim (the old connection or nobody); the claim, when it lands, repeats what the SFU says now.
            Report(b.Sfu, classId, peer, paused: false, layer: "h", 700_000);
        }

        var first = (await rejoined.NextEventAsync("MediaQuality")).Argument()!;
        Assert.False((bool)first["paused"]!);
        Assert.Equal("h", (string?)first["layer"]);
        Report(b.Sfu, classId, peer, paused: false, layer: "f", 2_000_000);
        await rejoined.NextEventAsync("MediaQuality", e => (string?)e.Argument()!["layer"] == "f");
        // Whether the quick notice reached A directly or only as the claim's repeat, nothing stale came after it.
        var told = rejoined.Events.Where(e => e.Target == "MediaQuality").Select(e => (string?)e.Argument()!["layer"]).ToList();
        Assert.Equal("f", told[^1]);
        Assert.All(told[..^1], layer => Assert.Equal("h", layer));
    }

    [Fact]
    public async Task TwoTabsOnTwoHubNodes_OlderClaimLandsLast_NoticesStayWithTheTabThatNegotiatedLast()
    {
        var (a, b) = (cluster.A, cluster.B);
        var classId = await cluster.SetUpClassOnAsync(b);
        var offer = ClassroomHubMediaLimitTests.Offer(("video", "0", "recvonly"));
        await using var firstTab = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await firstTab.InvokeAsync("JoinClass", classId);
        await firstTab.InvokeAsync("OpenClass", classId);
        var peer = await NegotiateClaimedAsync(firstTab, b, classId, offer);
        Report(b.Sfu, classId, peer, paused: true, layer: null, 95_000);
        Assert.True((bool)(await firstTab.NextEventAsync("MediaQuality")).Argument()!["paused"]!);
        await using var secondTab = await b.ConnectAsync(cluster.TokenFor("teacher"));
        await secondTab.InvokeAsync("JoinClass", classId);

        var completedBefore = b.Claims.Completed;
        using (b.Claims.Hold())
        {
            // The first tab negotiates again; its claim, on its way from A to B, is held. Then the second tab, on B itself,
            // negotiates: the grain answers it after the first, and its claim (made on B) lands first.
            Assert.Equal(peer, (string)(await firstTab.InvokeAsync("Negotiate", classId, offer, RecvOnlyMain))!["peerId"]!);
            Assert.Equal(peer, (string)(await secondTab.InvokeAsync("Negotiate", classId, offer, RecvOnlyMain))!["peerId"]!);
            Assert.True((bool)(await secondTab.NextEventAsync("MediaQuality")).Argument()!["paused"]!);
        }
        // The first tab's claim lands now, last, and is older than the one held: it hands nothing back to node A.
        await b.Claims.CompletedAsync(completedBefore + 1);
        Report(b.Sfu, classId, peer, paused: false, layer: "h", 700_000);

        Assert.Equal("h", (string?)(await secondTab.NextEventAsync("MediaQuality", e => (string?)e.Argument()!["layer"] == "h")).Argument()!["layer"]);
        Assert.Equal(1, firstTab.Events.Count(e => e.Target == "MediaQuality"));
        Assert.Equal(2, secondTab.Events.Count(e => e.Target == "MediaQuality"));
    }

    /// <summary>
    /// Negotiates on <paramref name="page"/> (its hub on another node than <paramref name="mediaNode"/>) and waits until
    /// the media node carried out the page's claim: the answer does not wait for it, and these tests report at once what
    /// a real SFU can report only once media flows, which takes the page's ICE and DTLS after the answer.
    /// </summary>
    private static async Task<string> NegotiateClaimedAsync(HubTestClient page, TwoNodeCluster.Node mediaNode, string classId, string offer)
    {
        var claimed = mediaNode.Claims.Completed;
        var peer = (string)(await page.InvokeAsync("Negotiate", classId, offer, RecvOnlyMain))!["peerId"]!;
        await mediaNode.Claims.CompletedAsync(claimed + 1);
        return peer;
    }

    /// <summary>What the SFU's layer selection does when its choice for a subscriber changes (SfuRoom.ReportQuality): remembered, then raised.</summary>
    private static void Report(MediaServer sfu, string roomId, string peerId, bool paused, string? layer, long estimateBps)
    {
        var bandwidth = sfu.GetRoom(roomId)!.Engine.FindPeer(peerId)!.Bandwidth;
        bandwidth.Reported = true;
        bandwidth.ReportedPaused = paused;
        bandwidth.ReportedLayer = layer;
        ((ISfuEvents)sfu).MediaQualityChanged(roomId, peerId, paused, layer, estimateBps);
    }
}
