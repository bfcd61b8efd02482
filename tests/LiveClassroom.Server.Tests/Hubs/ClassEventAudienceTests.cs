using System.Text.Json.Nodes;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Testing.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// A rural classroom's pages are not sent the media changes of other rural classrooms' participants, nor their presence
/// while off stage (docs/HUB.md); the lead gets everything; a page is sent nothing for a write with nothing for it, and
/// its next batch's range covers what was left out, so its sequence stays without gaps.
/// </summary>
public sealed class ClassEventAudienceTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    private const string ClassId = "p.l";

    [Fact]
    public void Sends_MediaChangedOfAnotherRuralClassroomsParticipant_NotToThisClassroom()
    {
        Assert.False(ClassEventAudience.Sends(Media(1, RoomRole.Classroom, "room-b"), "room-a"));
        Assert.True(ClassEventAudience.Sends(Media(1, RoomRole.Classroom, "room-a"), "room-a"));
        Assert.True(ClassEventAudience.Sends(Media(1, RoomRole.Lead, "lead-room"), "room-a"));
        Assert.True(ClassEventAudience.Sends(new RoomEventMessage(ClassId, 1, ClassEventTypes.MediaNodeLost, DateTimeOffset.UtcNow, new MediaNodeLost(["x"])), "room-a"));
    }

    [Fact]
    public void Sends_PresenceOfAnotherRuralClassroom_OnlyWhileItIsOnStage()
    {
        foreach (var type in new[] { ClassEventTypes.ConnectionChanged, ClassEventTypes.ParticipantJoined })
        {
            Assert.False(ClassEventAudience.Sends(Event(1, type, View(RoomRole.Classroom, "room-b")), "room-a"));
            Assert.True(ClassEventAudience.Sends(Event(1, type, View(RoomRole.Classroom, "room-b") with { OnStage = true }), "room-a"));
            Assert.True(ClassEventAudience.Sends(Event(1, type, View(RoomRole.Classroom, "room-a")), "room-a"));
            Assert.True(ClassEventAudience.Sends(Event(1, type, View(RoomRole.Lead, "lead-room")), "room-a"));
            Assert.True(ClassEventAudience.Sends(Event(1, type, View(RoomRole.Observer, "lead-room")), "room-a"));
        }
        // Media changes stay their own classroom's even on stage: the server routes the stage slots.
        Assert.False(ClassEventAudience.Sends(Event(1, ClassEventTypes.MediaChanged, View(RoomRole.Classroom, "room-b") with { OnStage = true }), "room-a"));
        Assert.Null(ClassEventAudience.OwnerOf(Event(1, ClassEventTypes.StageChanged, new StageChanged([new StageSeat(1, "room-b")], [View(RoomRole.Classroom, "room-b")]))));
    }

    [Fact]
    public void ClassView_RuralCaller_ResyncSnapshotHasTheParticipantsItsEventsKeepCurrent()
    {
        ParticipantView[] everyone =
        [
            View(RoomRole.Lead, "lead-room", "lead"), View(RoomRole.Observer, "lead-room", "observer"), View(RoomRole.Classroom, "room-a", "a"),
            View(RoomRole.Classroom, "room-b", "b"), View(RoomRole.Classroom, "room-c", "c") with { OnStage = true },
        ];
        var snapshot = new ClassSnapshot(ClassId, ClassState.Live, "课", null, null, "lead", "lead-room", null, DateTimeOffset.UtcNow, null, 2,
            [], everyone, [], [new StageSeat(1, "room-c")], [], 42);

        var rural = ClassView.For(snapshot, new RoomCaller("a", "村小", RoomRole.Classroom, "room-a", PrincipalKind.Device));
        var lead = ClassView.For(snapshot, new RoomCaller("lead", "王老师", RoomRole.Lead, "lead-room"));

        Assert.Equal(["lead", "observer", "a", "c"], rural.Class.Participants.Select(p => p.PrincipalId));
        Assert.Equal(42, rural.Class.Sequence);
        Assert.Equal(5, lead.Class.Participants.Count);
    }

    [Fact]
    public void Cursor_WritesWithNothingForAClassroom_ItsNextBatchCoversThem_AnEventForItThatAPageMissedIsAGap()
    {
        var cursor = new ClassAudienceCursor();
        void Dispatch(params RoomEventMessage[] events)
        {
            cursor.Begin(events);
            cursor.Dispatched(events);
        }
        Dispatch(Media(1, RoomRole.Lead, "lead-room"));
        Dispatch(Media(2, RoomRole.Classroom, "room-b"), Media(3, RoomRole.Classroom, "room-b"));
        Dispatch(Event(4, ClassEventTypes.ConnectionChanged, View(RoomRole.Classroom, "room-b")));
        RoomEventMessage[] next = [Media(5, RoomRole.Lead, "lead-room")];
        cursor.Begin(next);
        // Room A was sent nothing since 1: its batch for 5 starts at 2. Room B's starts at 5 (4 was B's and went to it).
        Assert.Equal(2, cursor.FirstFor("room-a"));
        Assert.Equal(5, cursor.FirstFor("room-b"));
        cursor.Dispatched(next);

        Dispatch(Media(6, RoomRole.Classroom, "room-a"));
        Dispatch(Media(7, RoomRole.Classroom, "room-b"));
        // A page of room A at 5 missed 6, which was for it: the batch starts at 7, past 5 + 1, so the page resyncs.
        Assert.Equal(7, cursor.FirstFor("room-a"));
        Assert.Equal(6, cursor.FirstFor("room-c"));
    }

    [Fact]
    public void Cursor_AGapInThisNodesOwnFeed_CountsAsAnEventForEveryone()
    {
        var cursor = new ClassAudienceCursor();
        RoomEventMessage[] first = [Media(1, RoomRole.Lead, "lead-room")];
        cursor.Begin(first);
        cursor.Dispatched(first);
        // The grain dropped this node for a while: 2..9 never came here, whoever they were for.
        RoomEventMessage[] after = [Media(10, RoomRole.Classroom, "room-a")];
        cursor.Begin(after);
        Assert.Equal(10, cursor.FirstFor("room-a"));
        Assert.Equal(10, cursor.FirstFor("room-b"));
    }

    [Fact]
    public void For_NothingLeftOut_TheSameList()
    {
        IReadOnlyList<RoomEventMessage> events = [Media(1, RoomRole.Lead, "lead-room"), Media(2, RoomRole.Classroom, "room-a")];
        Assert.Same(events, ClassEventAudience.For(events, "room-a"));
        Assert.Equal([1L], ClassEventAudience.For(events, "room-b").Select(e => e.Seq));
    }

    [Fact]
    public void GroupOf_RuralClassroomAndOthers_OneGroupPerClassroomAndOneForTheRest()
    {
        Assert.Equal("class:k:room:r1", ClassEventAudience.GroupOf("k", new RoomCaller("d", "device", RoomRole.Classroom, ClassroomId: "r1")));
        Assert.Equal("class:k", ClassEventAudience.GroupOf("k", new RoomCaller("t", "teacher", RoomRole.Lead, ClassroomId: "lead-room")));
        Assert.Equal("class:k", ClassEventAudience.GroupOf("k", new RoomCaller("a", "admin", RoomRole.Admin)));
    }

    [Fact]
    public async Task OnRoomEvents_MediaChangesOfTwoClassrooms_EachRuralPageGetsItsOwnAndTheLeadsTheLeadGetsAll()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var roomA = TestClasses.Rural(factory, 0);
        var roomB = TestClasses.Rural(factory, 1);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await using var inA = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await using var inB = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[1]));
        foreach (var client in new[] { lead, inA, inB })
        {
            await client.InvokeAsync("JoinClass", classId);
        }
        var subscriptions = factory.Services.GetRequiredService<RoomSubscriptions>();
        var room = new GrainKey(GrainKinds.Classroom, classId);
        const long start = 1_000_000; // past the class's own events
        RoomEvent Changed(long seq, RoomRole role, string classroom) =>
            new(room, start + seq, DateTimeOffset.UtcNow, ClassEventTypes.MediaChanged, View(role, classroom, "p" + seq));

        // One write: A's classroom, B's, the lead's, A's again; then B's alone; then a single event everyone gets.
        await subscriptions.OnRoomEventsAsync([Changed(1, RoomRole.Classroom, roomA), Changed(2, RoomRole.Classroom, roomB),
            Changed(3, RoomRole.Lead, "lead-room"), Changed(4, RoomRole.Classroom, roomA)]);
        await subscriptions.OnRoomEventsAsync([Changed(5, RoomRole.Classroom, roomB)]);
        await subscriptions.OnRoomEventsAsync([new RoomEvent(room, start + 6, DateTimeOffset.UtcNow, ClassEventTypes.MediaNodeLost, new MediaNodeLost(["p1", "p2"]))]);

        foreach (var client in new[] { lead, inA, inB })
        {
            await client.WaitUntilAsync(_ => Received(client).Contains(6), "event 6");
        }
        Assert.Equal([1L, 2, 3, 4, 5, 6], Received(lead));
        Assert.Equal([1L, 3, 4, 6], Received(inA));
        Assert.Equal([2L, 3, 5, 6], Received(inB));
        // A's page was sent nothing for the write of event 5: no message at all, and the batch carrying 6 starts at 5.
        var batchesOfA = Batches(inA);
        Assert.DoesNotContain(batchesOfA, b => b["events"]!.AsArray().Count == 0);
        var withSix = batchesOfA.Single(b => (long)b["last"]! == start + 6);
        Assert.Equal(start + 5, (long)withSix["first"]!);
        var first = Batches(inB).First(b => (long)b["first"]! == start + 1);
        Assert.Equal(start + 4, (long)first["last"]!);
        // B's batch for 5 starts at 4: event 4 was A's.
        Assert.Equal(start + 4, (long)Batches(inB).Single(b => (long)b["last"]! == start + 5)["first"]!);
    }

    [Fact]
    public async Task OnRoomEvents_PresenceOfAClassroomOffAndOnStage_OtherRuralPagesGetItOnlyOnStage()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var roomA = TestClasses.Rural(factory, 0);
        var roomB = TestClasses.Rural(factory, 1);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await using var inA = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        foreach (var client in new[] { lead, inA })
        {
            await client.InvokeAsync("JoinClass", classId);
        }
        var subscriptions = factory.Services.GetRequiredService<RoomSubscriptions>();
        var room = new GrainKey(GrainKinds.Classroom, classId);
        const long start = 2_000_000;
        RoomEvent Presence(long seq, string type, bool onStage) =>
            new(room, start + seq, DateTimeOffset.UtcNow, type, View(RoomRole.Classroom, roomB, "b" + seq) with { OnStage = onStage });

        await subscriptions.OnRoomEventsAsync([Presence(1, ClassEventTypes.ParticipantJoined, onStage: false)]);
        await subscriptions.OnRoomEventsAsync([Presence(2, ClassEventTypes.ConnectionChanged, onStage: false)]);
        await subscriptions.OnRoomEventsAsync([Presence(3, ClassEventTypes.ConnectionChanged, onStage: true)]);

        await lead.WaitUntilAsync(_ => ReceivedFrom(lead, start).Contains(3), "event 3 at the lead");
        await inA.WaitUntilAsync(_ => ReceivedFrom(inA, start).Contains(3), "event 3 at room A");
        Assert.Equal([1L, 2, 3], ReceivedFrom(lead, start));
        Assert.Equal([3L], ReceivedFrom(inA, start));
        Assert.Equal(start + 1, (long)Batches(inA).Single(b => (long)b["last"]! == start + 3)["first"]!);
    }

    private static List<JsonNode> Batches(HubTestClient client) =>
        [.. client.Events.Where(e => e.Target == "RoomEvents").Select(e => e.Argument()!)];

    private static List<long> ReceivedFrom(HubTestClient client, long start) =>
        [.. TestClasses.ClassEvents(client.Events).Select(e => (long)e["seq"]! - start).Where(s => s > 0 && s < 1_000_000)];

    private static List<long> Received(HubTestClient client) =>
        [.. TestClasses.ClassEvents(client.Events).Select(e => (long)e["seq"]! - 1_000_000).Where(s => s > 0)];

    private static RoomEventMessage Event(long seq, string type, object payload) =>
        new(ClassId, seq, type, DateTimeOffset.UtcNow, payload);

    private static RoomEventMessage Media(long seq, RoomRole role, string classroom) =>
        new(ClassId, seq, ClassEventTypes.MediaChanged, DateTimeOffset.UtcNow, View(role, classroom));

    private static ParticipantView View(RoomRole role, string classroom, string principal = "p") =>
        new(principal, "名字", role, PrincipalKind.Device, classroom, 1, ConnectionState.Connected, principal, new PublishedTracks("0", "1"), null);
}
