using LiveClassroom.Grains;
using LiveClassroom.Server.Grains;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// Every class event reaches each connection exactly once, also when a node's first joins of a class come all at once:
/// each join subscribes the node to the class (<see cref="RoomSubscriptions.EnsureAsync"/>), and the node must do so
/// with one observer, however many joins race to create it. A fresh server for this class of tests (the fixture), so
/// the node's first subscription is the one under test.
/// </summary>
public sealed class ClassroomHubExactlyOnceTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task JoinClass_FirstSubscriptionsOfTheNodeAllAtOnce_EachEventArrivesOncePerConnection()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var subscriptions = factory.Services.GetRequiredService<RoomSubscriptions>();
        var room = new GrainKey(GrainKinds.Classroom, classId);
        // The subscriptions that many simultaneous joins make, released together on as many threads.
        const int Joins = 16;
        using var start = new Barrier(Joins);
        var threads = Enumerable.Range(0, Joins).Select(_ => new Thread(() =>
        {
            start.SignalAndWait();
            subscriptions.EnsureAsync(room).GetAwaiter().GetResult();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await using var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await lead.InvokeAsync("JoinClass", classId);
        await device.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await lead.InvokeAsync("SendChat", classId, "第一条", false);
        await lead.InvokeAsync("SendChat", classId, "第二条", false);

        foreach (var c in new[] { lead, device })
        {
            // A second copy of the first message would come before the second one (one ordered queue per class and node).
            Assert.Equal("第一条", (string?)(await c.NextRoomEventAsync("ChatMessage"))["payload"]!["text"]);
            Assert.Equal("第二条", (string?)(await c.NextRoomEventAsync("ChatMessage"))["payload"]!["text"]);
            var sequences = c.Sequences(classId);
            Assert.Equal(sequences.Distinct(), sequences);
        }
    }
}
