using System.Text.Json;
using System.Text.Json.Nodes;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Testing.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>Events reach every joined connection in order; disconnects keep presence for the grace; bad input harms nobody.</summary>
public sealed class ResearchHubEventTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    private static IReadOnlyList<JsonNode> ResearchEvents(HubTestClient client, string sessionId) =>
        [.. client.Events.Where(e => e.Target == "ResearchEvent" && (string?)e.Argument()!["sessionId"] == sessionId).Select(e => e.Argument()!)];

    [Fact]
    public async Task LiveChanges_ReachEveryJoinedConnectionInOrder()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);

        await s.Host.InvokeAsync("AdvanceSegment", s.Id);
        await s.Teacher.InvokeAsync("RequestFloor", s.Id);
        await s.Host.InvokeAsync("GrantFloor", s.Id, s.Session.TeacherId.ToString());
        await s.Host.InvokeAsync("EndTurn", s.Id);

        foreach (var client in new[] { s.Host, s.Teacher, s.Observer })
        {
            // The grant arrives, then the end of the turn after it; everything arrived in sequence order.
            var granted = await client.NextEventAsync("ResearchEvent", e => e.Argument()!["payload"]!["speaker"] is not null);
            var grantedSeq = (long)granted.Argument()!["seq"]!;
            // After the grant: the advance before it also has no speaker and must not count.
            await client.NextEventAsync("ResearchEvent", e => (long)e.Argument()!["seq"]! > grantedSeq && e.Argument()!["payload"]!["speaker"] is null
                && e.Argument()!["payload"]!["currentSegment"]?["index"]?.GetValue<int>() == 1);
            var events = ResearchEvents(client, s.Id);
            var seqs = events.Select(e => (long)e["seq"]!).ToList();
            Assert.Equal(seqs.Order(), seqs);
            Assert.Equal(seqs.Distinct().Count(), seqs.Count);
            Assert.All(events, e => Assert.Equal("LiveChanged", (string?)e["type"]));
            var speakers = events.Select(e => (string?)e["payload"]!["speaker"]?["personId"]).ToList();
            Assert.Contains(s.Session.TeacherId.ToString(), speakers);
            Assert.Null(speakers[^1]);
        }
        var last = ResearchEvents(s.Teacher, s.Id)[^1]["payload"]!;
        Assert.Equal(1, (int)last["observerCount"]!);
        Assert.DoesNotContain(last["participants"]!.AsArray(), p => (string?)p!["role"] == "observer");
    }

    [Fact]
    public async Task ManyEvents_ThroughTheSink_EveryConnectionGetsThemInOrder()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);
        var sink = server.App.Services.GetServices<IRoomEventSink>().OfType<ResearchHubEventSink>().Single();
        var snapshot = JsonSerializer.Deserialize<ResearchLiveSnapshot>(s.HostJoin["snapshot"]!.ToJsonString(), JsonSerializerOptions.Web)!;
        const long First = 1_000_000;
        const int Count = 300;

        for (var i = 0; i < Count; i++)
        {
            await sink.OnRoomEventAsync(new RoomEvent(new GrainKey(GrainKinds.Research, s.Id), First + i, DateTimeOffset.UtcNow,
                ResearchEventTypes.LiveChanged, new ResearchLiveChanged(snapshot, [])), default);
        }

        foreach (var client in new[] { s.Host, s.Teacher, s.Observer })
        {
            await client.NextEventAsync("ResearchEvent", e => (long)e.Argument()!["seq"]! == First + Count - 1);
            var seqs = ResearchEvents(client, s.Id).Select(e => (long)e["seq"]!).Where(q => q >= First);
            Assert.Equal(Enumerable.Range(0, Count).Select(i => First + i), seqs);
        }
    }

    [Fact]
    public async Task Disconnect_PresenceKeptForGraceThenLost()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);
        var teacher = s.Session.TeacherId.ToString();

        await s.Teacher.DisposeAsync();

        var during = await s.ResyncUntilAsync(s.Host,
            n => n["participants"]!.AsArray().Any(p => (string?)p!["personId"] == teacher && !(bool)p["connected"]!), "the teacher marked disconnected");
        Assert.Contains(during["participants"]!.AsArray(), p => (string?)p!["personId"] == teacher);

        server.Clock.Advance(TimeSpan.FromSeconds(61));

        var after = (await s.Host.InvokeAsync("Resync", s.Id))!;
        Assert.DoesNotContain(after["participants"]!.AsArray(), p => (string?)p!["personId"] == teacher);
    }

    [Fact]
    public async Task Disconnect_WithMedia_TileGoneAtOncePeerKeptForTheGrace()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);
        var room = $"research-{s.Session.SessionId:N}";
        var teacher = s.Session.TeacherId.ToString();
        var offer = new { publish = new { camera = "0", microphone = "1" }, receiveSlots = new[] { new { name = "tile1", mid = "2" } } };
        await s.Host.InvokeAsync("Negotiate", s.Id, Hubs.TestClasses.ValidOffer, offer);
        await s.Teacher.InvokeAsync("Negotiate", s.Id, Hubs.TestClasses.ValidOffer, offer);
        Assert.Contains($"route {room} {s.Session.ResearcherId} 2 <- {teacher}/0", server.Media.Calls);

        await s.Teacher.DisposeAsync();

        var after = await s.ResyncUntilAsync(s.Host, n => n["tiles"]!.AsArray().Count == 0, "the teacher's tile to go");
        // The SFU keeps the peer through the reconnect grace (a rejoining page renegotiates on it); nobody is routed to it.
        Assert.DoesNotContain($"remove {room} {teacher}", server.Media.Calls);
        Assert.Contains($"route {room} {s.Session.ResearcherId} 2 <- /", server.Media.Calls);
        Assert.Contains(after["participants"]!.AsArray(), p => (string?)p!["personId"] == teacher);
    }

    [Fact]
    public async Task Reconnect_WithinGrace_SamePresenceContinues()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);
        var teacher = s.Session.TeacherId.ToString();
        var joinedAt = (string?)s.HostJoin["snapshot"]!["participants"]!.AsArray().Concat((await s.Host.InvokeAsync("Resync", s.Id))!["participants"]!.AsArray())
            .First(p => (string?)p!["personId"] == teacher)!["joinedAt"];

        await s.Teacher.DisposeAsync();
        await s.ResyncUntilAsync(s.Host, n => n["participants"]!.AsArray().Any(p => (string?)p!["personId"] == teacher && !(bool)p["connected"]!), "disconnected");
        server.Clock.Advance(TimeSpan.FromSeconds(20));
        var (again, _) = await server.HubAsync("teacher");
        await using (again)
        {
            var rejoined = (await again.InvokeAsync("JoinSession", s.Id))!;
            server.Clock.Advance(TimeSpan.FromSeconds(61));
            var later = (await s.Host.InvokeAsync("Resync", s.Id))!;

            var me = rejoined["snapshot"]!["participants"]!.AsArray().Single(p => (string?)p!["personId"] == teacher)!;
            Assert.True((bool)me["connected"]!);
            Assert.Equal(joinedAt, (string?)me["joinedAt"]);
            Assert.Contains(later["participants"]!.AsArray(), p => (string?)p!["personId"] == teacher);
        }
    }

    [Fact]
    public async Task BadInput_ClearErrorToSenderOnlyAndSessionRunsOn()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);
        Assert.Equal("bad_input", await ResearchHubScenario.ErrorCodeAsync(() => s.Teacher.InvokeAsync("JoinSession", "not-a-guid")));
        Assert.Equal("bad_input", await ResearchHubScenario.ErrorCodeAsync(() => s.Host.InvokeAsync("GrantFloor", s.Id, "nobody")));
        Assert.Equal("not_in_queue", await ResearchHubScenario.ErrorCodeAsync(() => s.Host.InvokeAsync("GrantFloor", s.Id, Guid.NewGuid().ToString())));
        Assert.Equal("bad_sdp", await ResearchHubScenario.ErrorCodeAsync(() =>
            s.Teacher.InvokeAsync("Negotiate", s.Id, "v=0\r\n" + new string('a', 50 * 1024), null)));
        Assert.Equal("bad_sdp", await ResearchHubScenario.ErrorCodeAsync(() => s.Teacher.InvokeAsync("Negotiate", s.Id, "not sdp", null)));
        Assert.Equal("bad_input", await ResearchHubScenario.ErrorCodeAsync(() =>
            s.Host.InvokeAsync("SetPlayback", s.Id, s.Session.RecordingId.ToString(), true, -5.0)));
        Assert.Equal("must_join", await ResearchHubScenario.ErrorCodeAsync(() => s.Teacher.InvokeAsync("Resync", Guid.NewGuid().ToString())));

        var advanced = (await s.Host.InvokeAsync("AdvanceSegment", s.Id))!;
        Assert.Equal(1, (int)advanced["currentSegment"]!["index"]!);
        await s.Teacher.InvokeAsync("RequestFloor", s.Id);
        Assert.Equal(s.Session.TeacherId.ToString(), (string?)(await s.Teacher.InvokeAsync("Resync", s.Id))!["speakerQueue"]![0]);
    }

    [Fact]
    public async Task LeaveSession_LastConnection_PresenceEndsAndEventsStop()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);
        var teacher = s.Session.TeacherId.ToString();

        await s.Teacher.InvokeAsync("LeaveSession", s.Id);

        var snapshot = (await s.Host.InvokeAsync("Resync", s.Id))!;
        Assert.DoesNotContain(snapshot["participants"]!.AsArray(), p => (string?)p!["personId"] == teacher);
        Assert.Equal("must_join", await ResearchHubScenario.ErrorCodeAsync(() => s.Teacher.InvokeAsync("RequestFloor", s.Id)));
    }
}
