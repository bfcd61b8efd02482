using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Testing.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// A rural classroom's pages are not sent the media changes of other rural classrooms' participants (docs/HUB.md);
/// the lead gets everything; every page's sequence stays without gaps (a batch covers what was left out).
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
        Assert.True(ClassEventAudience.Sends(new RoomEventMessage(ClassId, 1, ClassEventTypes.ConnectionChanged, DateTimeOffset.UtcNow, View(RoomRole.Classroom, "room-b")), "room-a"));
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
            await client.NextEventAsync("RoomEvent", e => (long)e.Argument()!["seq"]! == start + 6);
        }
        Assert.Equal([1L, 2, 3, 4, 5, 6], Received(lead));
        Assert.Equal([1L, 3, 4, 6], Received(inA));
        Assert.Equal([2L, 3, 5, 6], Received(inB));
        // What a page was not sent is covered by its batch's range: A's page got an empty batch for event 5.
        var empty = inA.Events.Single(e => e.Target == "RoomEvents" && (long)e.Argument()!["first"]! == start + 5).Argument()!;
        Assert.Equal(start + 5, (long)empty["last"]!);
        Assert.Empty(empty["events"]!.AsArray());
        var first = inB.Events.First(e => e.Target == "RoomEvents" && (long)e.Argument()!["first"]! == start + 1).Argument()!;
        Assert.Equal(start + 4, (long)first["last"]!);
    }

    private static List<long> Received(HubTestClient client) =>
        [.. TestClasses.ClassEvents(client.Events).Select(e => (long)e["seq"]! - 1_000_000).Where(s => s > 0)];

    private static RoomEventMessage Media(long seq, RoomRole role, string classroom) =>
        new(ClassId, seq, ClassEventTypes.MediaChanged, DateTimeOffset.UtcNow, View(role, classroom));

    private static ParticipantView View(RoomRole role, string classroom, string principal = "p") =>
        new(principal, "名字", role, PrincipalKind.Device, classroom, 1, ConnectionState.Connected, principal, new PublishedTracks("0", "1"), null);
}
