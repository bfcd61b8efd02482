using System.Text.Json.Nodes;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Testing.SignalR;
using Microsoft.Extensions.DependencyInjection;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>A whole class over the real hub: the lead teacher and three rural classroom devices.</summary>
public sealed class ClassroomHubFullClassTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task FullClass_LeadAndThreeDevices_EveryoneSeesEveryEventInOrderAndStateIsPersisted()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var c = Enumerable.Range(0, 3).Select(i => TestClasses.Rural(factory, i)).ToArray();

        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        var leadView = await lead.InvokeAsync("JoinClass", classId);
        Assert.Equal("Lead", (string?)leadView!["you"]!["role"]);
        Assert.True((bool)leadView["you"]!["seesAttendance"]!);

        var devices = new List<HubTestClient>();
        var joinSeq = new List<long> { (long)leadView["class"]!["sequence"]! };
        try
        {
            for (var i = 0; i < 3; i++)
            {
                var d = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[i]));
                devices.Add(d);
                var view = await d.InvokeAsync("JoinClass", classId);
                Assert.Equal("Classroom", (string?)view!["you"]!["role"]);
                Assert.Equal(c[i], (string?)view["you"]!["classroomId"]);
                Assert.False((bool)view["you"]!["seesAttendance"]!);
                joinSeq.Add((long)view["class"]!["sequence"]!);
            }
            HubTestClient[] everyone = [lead, .. devices];

            await lead.InvokeAsync("OpenClass", classId);
            foreach (var x in everyone)
            {
                Assert.Equal("Live", (string?)(await x.NextRoomEventAsync("ClassOpened"))["payload"]!["state"]);
            }

            // Hands in the order raised: classroom 0, then 2, then 1.
            await devices[0].InvokeAsync("RaiseHand", classId);
            await devices[2].InvokeAsync("RaiseHand", classId);
            await devices[1].InvokeAsync("RaiseHand", classId);
            foreach (var x in everyone)
            {
                Assert.Equal([c[0]], Queue(await x.NextRoomEventAsync("HandQueueChanged")));
                Assert.Equal([c[0], c[2]], Queue(await x.NextRoomEventAsync("HandQueueChanged")));
                Assert.Equal([c[0], c[2], c[1]], Queue(await x.NextRoomEventAsync("HandQueueChanged")));
            }

            await lead.InvokeAsync("BringOnStage", classId, c[2]);
            foreach (var x in everyone)
            {
                var stage = (await x.NextRoomEventAsync("StageChanged"))["payload"]!["stage"]!.AsArray();
                Assert.Equal(c[2], (string?)Assert.Single(stage)!["classroomId"]);
            }

            // Classroom 1 publishes media, is muted by the lead, and cannot undo it.
            var answer = await devices[1].InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));
            Assert.StartsWith("v=0", (string?)answer!["sdpAnswer"], StringComparison.Ordinal);
            await lead.InvokeAsync("MuteClassroom", classId, c[1]);
            foreach (var x in everyone)
            {
                var mute = (await x.NextRoomEventAsync("MuteChanged"))["payload"]!;
                Assert.Equal(c[1], (string?)mute["classroomId"]);
                Assert.True((bool)mute["muted"]!);
            }
            var refused = await TestClasses.ErrorCodeAsync(() => devices[1].InvokeAsync("UnmuteClassroom", classId, c[1]));
            Assert.Equal("forbidden", refused);
            var devicePeer = (string?)answer["peerId"];
            Assert.True(factory.Media.AudioMuted.TryGetValue((classId, devicePeer!), out var muted) && muted);

            var question = await devices[0].InvokeAsync("SendChat", classId, "老师，第三句诗是什么意思？", true);
            var messageId = (string)question!["messageId"]!;
            await lead.InvokeAsync("PinMessage", classId, messageId);
            foreach (var x in everyone)
            {
                Assert.Equal(messageId, (string?)(await x.NextRoomEventAsync("ChatMessage"))["payload"]!["messageId"]);
                Assert.True((bool)(await x.NextRoomEventAsync("MessagePinned"))["payload"]!["pinned"]!);
            }

            await lead.InvokeAsync("EndClass", classId);
            var endSeq = new List<long>();
            foreach (var x in everyone)
            {
                endSeq.Add((long)(await x.NextRoomEventAsync("ClassEnded"))["seq"]!);
            }
            Assert.Single(endSeq.Distinct());

            // Every participant accounted for every event after its join, in order, without a gap; the other rural
            // classrooms were not sent classroom 1's media change (its range covered it), the lead and classroom 1 were.
            for (var i = 0; i < everyone.Length; i++)
            {
                var seqs = everyone[i].Covered(classId).Where(s => s > joinSeq[i]).ToList();
                Assert.Equal(Enumerable.Range((int)joinSeq[i] + 1, (int)(endSeq[0] - joinSeq[i])).Select(s => (long)s), seqs);
                var mediaChanges = TestClasses.ClassEvents(everyone[i].Events).Count(e => (string?)e["type"] == "MediaChanged");
                Assert.Equal(i is 0 or 2 ? 1 : 0, mediaChanges);
            }

            // The persisted class, read back by a fresh activation, matches what everyone saw.
            var management = factory.Services.GetRequiredService<Orleans.IGrainFactory>().GetGrain<Orleans.Runtime.IManagementGrain>(0);
            await management.ForceActivationCollection(TimeSpan.Zero);
            var after = await lead.InvokeAsync("Resync", classId);
            var snapshot = after!["class"]!;
            Assert.Equal("Ended", (string?)snapshot["state"]);
            // A reactivation may add events of its own (connections marked as reconnecting); never fewer.
            Assert.True((long)snapshot["sequence"]! >= endSeq[0]);
            Assert.Equal([c[0], c[1]], snapshot["handQueue"]!.AsArray().Select(n => (string)n!));
            Assert.Equal(c[2], (string?)Assert.Single(snapshot["stage"]!.AsArray())!["classroomId"]);
            var classrooms = snapshot["classrooms"]!.AsArray();
            Assert.True((bool)classrooms.Single(x => (string?)x!["classroomId"] == c[1])!["mutedByLead"]!);
            Assert.All(classrooms, x => Assert.NotNull((string?)x!["attendance"]!["firstJoinedAt"]));
            var chat = Assert.Single(snapshot["chat"]!.AsArray())!;
            Assert.True((bool)chat["pinned"]! && (bool)chat["isQuestion"]!);
        }
        finally
        {
            foreach (var d in devices)
            {
                await d.DisposeAsync();
            }
        }
    }

    private static string[] Queue(JsonNode roomEvent) =>
        [.. roomEvent["payload"]!["queue"]!.AsArray().Select(n => (string)n!)];
}
