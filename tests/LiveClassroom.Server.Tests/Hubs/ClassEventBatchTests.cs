using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using LiveClassroom.Testing.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// The events of one state write reach each connection as one <c>RoomEvents</c> message (docs/HUB.md), in sequence
/// order and in order with the class's single events: after an edge node is lost, hundreds of media changes share a
/// write, and a message per event and connection (and the pages' answers queued behind them) is what held the moved
/// classrooms back.
/// </summary>
public sealed class ClassEventBatchTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task OnRoomEvents_AWritesManyEventsBetweenSingleOnes_OneMessagePerConnectionInSequenceOrder()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await using var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await lead.InvokeAsync("JoinClass", classId);
        await device.InvokeAsync("JoinClass", classId);
        // Far past the class's own events (the joins'), which reach these connections as well.
        const long start = 1_000_000;
        var subscriptions = factory.Services.GetRequiredService<RoomSubscriptions>();
        var room = new GrainKey(GrainKinds.Classroom, classId);
        RoomEvent Probe(long seq) => new(room, seq, DateTimeOffset.UtcNow, "Probe", new { seq });

        // One event alone, a write of 200, one alone again: what the class's node hands this node's observer.
        const int Written = 200;
        await subscriptions.OnRoomEventsAsync([Probe(start + 1)]);
        await subscriptions.OnRoomEventsAsync([.. Enumerable.Range(2, Written).Select(i => Probe(start + i))]);
        await subscriptions.OnRoomEventsAsync([Probe(start + Written + 2)]);

        foreach (var client in new[] { lead, device })
        {
            await client.NextEventAsync("RoomEvent", e => (long)e.Argument()!["seq"]! == start + Written + 2);
            var received = client.Events.Where(IsProbe).ToList();
            Assert.Equal(["RoomEvent", "RoomEvents", "RoomEvent"], received.Select(e => e.Target));
            var batch = received[1].Argument()!;
            Assert.Equal(classId, (string?)batch["classId"]);
            Assert.Equal(start + 2, (long)batch["first"]!);
            Assert.Equal(start + Written + 1, (long)batch["last"]!);
            var events = batch["events"]!.AsArray();
            Assert.Equal(Enumerable.Range(2, Written).Select(i => start + i), events.Select(e => (long)e!["seq"]!));
            Assert.All(events, e => Assert.Equal("Probe", (string?)e!["type"]));
            Assert.Equal(Enumerable.Range(1, Written + 2).Select(i => start + i), client.Sequences(classId).Where(s => s > start));
        }
    }

    private static bool IsProbe(HubEvent e) => e.Target switch
    {
        "RoomEvent" => (string?)e.Argument()!["type"] == "Probe",
        "RoomEvents" => e.Argument()!["events"]!.AsArray().All(x => (string?)x!["type"] == "Probe"),
        _ => false,
    };

    [Fact]
    public async Task BringOnStage_RaisedHand_TheWritesTwoEventsArriveAsOneMessage()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var classroom = TestClasses.Rural(factory, 0);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await using var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await lead.InvokeAsync("JoinClass", classId);
        await device.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await device.InvokeAsync("RaiseHand", classId);
        await lead.NextRoomEventAsync("HandQueueChanged");

        // Through the real grain: bringing a raised hand on stage lowers it and seats it, one state write.
        await lead.InvokeAsync("BringOnStage", classId, classroom);
        foreach (var client in new[] { lead, device })
        {
            var batch = (await client.NextEventAsync("RoomEvents")).Argument()!;
            var events = batch["events"]!.AsArray();
            Assert.Equal(["HandQueueChanged", "StageChanged"], events.Select(e => (string?)e!["type"]));
            Assert.Equal((long)batch["first"]! + 1, (long)events[1]!["seq"]!);
            Assert.Equal((long)batch["last"]!, (long)events[1]!["seq"]!);
            Assert.Equal(classroom, (string?)events[1]!["payload"]!["stage"]![0]!["classroomId"]);
            Assert.DoesNotContain(client.Events, e => e.Target == "RoomEvent" && (string?)e.Argument()!["type"] == "StageChanged");
        }
    }
}
