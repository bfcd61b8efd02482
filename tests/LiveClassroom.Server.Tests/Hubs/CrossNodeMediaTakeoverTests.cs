using System.Net;
using System.Net.Http.Headers;
using LiveClassroom.Grains.Cascade;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Server.Tests.Research;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// <c>MediaTakenOver</c> across nodes (docs/HUB.md; issue #17): a projector PC and a teacher's laptop on one account,
/// behind a load balancer, have their hub connections on different nodes; the one whose media peer the other took over
/// is told, on its own node, and nobody else is. Before, each node knew only its own connections and the first tab was
/// never told.
/// </summary>
public sealed class CrossNodeMediaTakeoverTests(TwoNodeCluster cluster) : IClassFixture<TwoNodeCluster>
{
    private static readonly object RecvOnlyMain = new { publish = (object?)null, receiveSlots = new[] { new { name = "main", mid = "0" } } };
    private static readonly string Offer = ClassroomHubMediaLimitTests.Offer(("video", "0", "recvonly"));

    [Fact]
    public async Task Negotiate_SecondTabOnNodeB_FirstTabOnNodeA_IsToldMediaTakenOver_NobodyElse()
    {
        var (a, b) = (cluster.A, cluster.B);
        var classId = await cluster.SetUpClassOnAsync(b);
        await using var firstTab = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await firstTab.InvokeAsync("JoinClass", classId);
        await firstTab.InvokeAsync("OpenClass", classId);
        await firstTab.InvokeAsync("Negotiate", classId, Offer, RecvOnlyMain);
        await using var observerOnA = await a.ConnectAsync(cluster.TokenFor("researcher"));
        await observerOnA.InvokeAsync("JoinClass", classId);
        await using var ruralOnB = await b.ConnectAsync(cluster.Org.DeviceToken(cluster.Tokens, DemoOrg.RuralSchools[0]));
        await ruralOnB.InvokeAsync("JoinClass", classId);
        await ruralOnB.InvokeAsync("Negotiate", classId, Offer, RecvOnlyMain);
        await using var secondTab = await b.ConnectAsync(cluster.TokenFor("teacher"));
        await secondTab.InvokeAsync("JoinClass", classId);

        await secondTab.InvokeAsync("Negotiate", classId, Offer, RecvOnlyMain);

        var told = await firstTab.NextEventAsync("MediaTakenOver");
        Assert.Equal(classId, (string?)told.Argument()?["classId"]);
        // Taking it back (the user's choice) tells the second tab in turn, from A to B, and never the tab that negotiated.
        await firstTab.InvokeAsync("Negotiate", classId, Offer, RecvOnlyMain);
        await secondTab.NextEventAsync("MediaTakenOver");
        // A barrier on each connection: a reply comes after whatever was sent to it before.
        foreach (var page in new[] { firstTab, secondTab, observerOnA, ruralOnB })
        {
            await page.InvokeAsync("Resync", classId);
        }

        Assert.Single(firstTab.Events, e => e.Target == "MediaTakenOver");
        Assert.Single(secondTab.Events, e => e.Target == "MediaTakenOver");
        Assert.DoesNotContain(observerOnA.Events, e => e.Target == "MediaTakenOver");
        Assert.DoesNotContain(ruralOnB.Events, e => e.Target == "MediaTakenOver");
    }

    [Fact]
    public async Task Negotiate_SecondTabOnTheSameNode_FirstTabIsTold_AsBefore()
    {
        var (a, b) = (cluster.A, cluster.B);
        var classId = await cluster.SetUpClassOnAsync(b);
        await using var firstTab = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await firstTab.InvokeAsync("JoinClass", classId);
        await firstTab.InvokeAsync("OpenClass", classId);
        await firstTab.InvokeAsync("Negotiate", classId, Offer, RecvOnlyMain);
        await using var secondTab = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await secondTab.InvokeAsync("JoinClass", classId);

        await secondTab.InvokeAsync("Negotiate", classId, Offer, RecvOnlyMain);
        // The same connection negotiating again (a rebuilt peer connection) takes nothing over.
        await secondTab.InvokeAsync("Negotiate", classId, Offer, RecvOnlyMain);

        Assert.Equal(classId, (string?)(await firstTab.NextEventAsync("MediaTakenOver")).Argument()?["classId"]);
        await firstTab.InvokeAsync("Resync", classId);
        await secondTab.InvokeAsync("Resync", classId);
        Assert.Single(firstTab.Events, e => e.Target == "MediaTakenOver");
        Assert.DoesNotContain(secondTab.Events, e => e.Target == "MediaTakenOver");
    }

    [Fact]
    public async Task ResearchNegotiate_SecondTabOnNodeB_FirstTabOnNodeA_IsToldMediaTakenOver_NobodyElse()
    {
        var (a, b) = (cluster.A, cluster.B);
        using var http = a.CreateClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", cluster.TokenFor("researcher"));
        var session = (await Api.PostAsync(http, "/api/research/sessions", new
        {
            title = "跨节点评课",
            kind = "lesson_review",
            subject = "数学",
            stage = "primary",
            grade = "三年级",
            chapter = "分数的初步认识",
            scheduledStart = DateTimeOffset.UtcNow,
            speakerTurnSeconds = 120,
            segments = new[] { new { kind = "observe", title = "观课", plannedMinutes = 40 } },
            invitations = new object[] { new { schoolId = cluster.Org.Org(DemoOrg.LeadSchool), role = "participant" } },
        })).Expect(HttpStatusCode.Created).GetProperty("id").GetString()!;
        var watching = new { publish = (object?)null, receiveSlots = new[] { new { name = "host", mid = "0" } } };
        await using var researcher = await a.ConnectAsync(cluster.TokenFor("researcher"), ResearchHub.Path);
        await researcher.InvokeAsync("JoinSession", session);
        await researcher.InvokeAsync("StartSession", session);
        await using var firstTab = await a.ConnectAsync(cluster.TokenFor("teacher"), ResearchHub.Path);
        await firstTab.InvokeAsync("JoinSession", session);
        await firstTab.InvokeAsync("Negotiate", session, Offer, watching);
        await using var secondTab = await b.ConnectAsync(cluster.TokenFor("teacher"), ResearchHub.Path);
        await secondTab.InvokeAsync("JoinSession", session);

        await secondTab.InvokeAsync("Negotiate", session, Offer, watching);

        Assert.Equal(session, (string?)(await firstTab.NextEventAsync("MediaTakenOver")).Argument()?["classId"]);
        foreach (var page in new[] { firstTab, secondTab, researcher })
        {
            await page.InvokeAsync("Resync", session);
        }
        Assert.Single(firstTab.Events, e => e.Target == "MediaTakenOver");
        Assert.DoesNotContain(secondTab.Events, e => e.Target == "MediaTakenOver");
        Assert.DoesNotContain(researcher.Events, e => e.Target == "MediaTakenOver");
    }

    [Fact]
    public async Task TellMediaTakenOver_BadIdsOrAConnectionNotInTheRoom_NothingSent_BadIdsCounted()
    {
        var (a, b) = (cluster.A, cluster.B);
        var classId = await cluster.SetUpClassOnAsync(b);
        await using var lead = await a.ConnectAsync(cluster.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await lead.InvokeAsync("Negotiate", classId, Offer, RecvOnlyMain);
        var nodeA = b.Services.GetRequiredService<IGrainFactory>().GetGrain<IMediaNodeGrain>(a.NodeId);
        var takeovers = a.Services.GetRequiredService<MediaTakeovers>();
        var dropped = takeovers.Dropped;

        await nodeA.TellMediaTakenOverAsync(MediaRoomKind.Class, classId, "teacher", "");
        await nodeA.TellMediaTakenOverAsync(MediaRoomKind.Class, new string('x', 10_000), "teacher", "c");
        await nodeA.TellMediaTakenOverAsync((MediaRoomKind)7, classId, "teacher", "c");
        await nodeA.TellMediaTakenOverAsync(MediaRoomKind.Class, classId, "teacher", "no-such-connection");
        await nodeA.TellMediaTakenOverAsync(MediaRoomKind.Research, classId, "teacher", "no-such-connection");

        Assert.Equal(3, takeovers.Dropped - dropped);
        await lead.InvokeAsync("Resync", classId);
        Assert.DoesNotContain(lead.Events, e => e.Target == "MediaTakenOver");
    }
}
