using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Hubs;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>The per-class ordered delivery under volume, through the hub's real event sink and SignalR groups.</summary>
public sealed class ClassEventDispatcherTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task OnRoomEvent_ManyEventsForTwoClasses_EachClientGetsItsClassInOrderAndNothingElse()
    {
        var classA = await TestClasses.SetUpAsync(factory);
        var classB = await TestClasses.SetUpAsync(factory);
        await using var inA = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await using var inB = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        var startA = (long)(await inA.InvokeAsync("JoinClass", classA))!["class"]!["sequence"]!;
        var startB = (long)(await inB.InvokeAsync("JoinClass", classB))!["class"]!["sequence"]!;
        var sink = factory.Services.GetServices<IRoomEventSink>().OfType<ClassroomHubEventSink>().Single();

        const int Count = 400;
        // Interleaved like two busy rooms publishing at once (each room's own events arrive in order, as grains publish them).
        for (var i = 1; i <= Count; i++)
        {
            await sink.OnRoomEventAsync(new RoomEvent(new GrainKey(GrainKinds.Classroom, classA), startA + i, DateTimeOffset.UtcNow, "Probe", new { i }), default);
            await sink.OnRoomEventAsync(new RoomEvent(new GrainKey(GrainKinds.Classroom, classB), startB + i, DateTimeOffset.UtcNow, "Probe", new { i }), default);
        }

        await inA.NextEventAsync("RoomEvent", e => (long)e.Argument()!["seq"]! == startA + Count);
        await inB.NextEventAsync("RoomEvent", e => (long)e.Argument()!["seq"]! == startB + Count);
        Assert.Equal(Enumerable.Range(1, Count).Select(i => startA + i), inA.Sequences(classA).Where(s => s > startA));
        Assert.Equal(Enumerable.Range(1, Count).Select(i => startB + i), inB.Sequences(classB).Where(s => s > startB));
        Assert.Empty(inA.Sequences(classB));
        Assert.Empty(inB.Sequences(classA));
    }
}
