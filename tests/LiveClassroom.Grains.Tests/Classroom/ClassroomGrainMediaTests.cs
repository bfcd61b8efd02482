using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Classroom;

public sealed class ClassroomGrainMediaTests
{
    // Every participant receives the same named slots; the mids differ per participant, as in real offers.
    private static readonly string[] SlotNames = ["main", "main-audio", "screen", "stage1", "stage1-audio", "stage2", "stage2-audio"];

    private static MediaOffer Offer(PublishedTracks publish, int firstSlotMid) =>
        new("v=0", publish, [.. SlotNames.Select((name, i) => new ReceiveSlot(name, (firstSlotMid + i).ToString(System.Globalization.CultureInfo.InvariantCulture)))]);

    private static async Task<IClassroomGrain> ClassWithMediaAsync(TestGrainHost host)
    {
        var room = await ClassScenario.LiveClassAsync(host);
        await room.ConnectMediaAsync(ClassScenario.Lead, Offer(new PublishedTracks("0", "1", "2"), 3));
        for (var n = 1; n <= 3; n++)
        {
            await room.JoinAsync(ClassScenario.Device(n));
            await room.ConnectMediaAsync(ClassScenario.Device(n), Offer(new PublishedTracks("0", "1"), 2));
        }
        await room.JoinAsync(ClassScenario.Observer);
        await room.ConnectMediaAsync(ClassScenario.Observer, Offer(new PublishedTracks(), 0));
        return room;
    }

    /// <summary>The source each named slot of a subscriber receives now, by the recorded RouteAsync calls.</summary>
    private static Dictionary<string, string> Routes(TestGrainHost host, string peer, int firstSlotMid) =>
        SlotNames.Select((name, i) => (name, source: host.Media.RouteOf(ClassScenario.ClassId, peer, (firstSlotMid + i).ToString(System.Globalization.CultureInfo.InvariantCulture))))
            .ToDictionary(x => x.name, x => x.source is null ? "none" : $"{x.source.PublisherPeerId}:{x.source.PublisherMid}");

    [Fact]
    public async Task ConnectMedia_ClassroomWhileItsWriteIsHeld_ItsOwnSlotsAreRoutedMeanwhile_TheAnswerWaitsForTheWrite()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        // The lead's negotiation writes the class's media log row; the classroom's negotiation writes it again.
        await room.ConnectMediaAsync(ClassScenario.Lead, Offer(new PublishedTracks("0", "1", "2"), 3));
        await room.JoinAsync(ClassScenario.Device(1));
        await using var connection = await host.DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using (var hold = new Npgsql.NpgsqlCommand("SELECT version FROM grain_state WHERE kind = @kind || 'media' AND id = @id FOR UPDATE", connection, transaction))
        {
            hold.Parameters.AddWithValue("kind", ClassScenario.Key.Kind);
            hold.Parameters.AddWithValue("id", ClassScenario.Key.Id);
            Assert.NotNull(await hold.ExecuteScalarAsync());
        }

        var answer = room.ConnectMediaAsync(ClassScenario.Device(1), Offer(new PublishedTracks(null, "1"), 2));

        // Its main and main-audio slots get the lead's camera and microphone while the write waits for the row (bounded
        // below Npgsql's 30 s command timeout, which would end the held write with an error).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (Routes(host, "device-1", 2) is var routes && (routes["main"] == "none" || routes["main-audio"] == "none"))
        {
            Assert.True(DateTime.UtcNow < deadline, "the classroom's own slots were not routed while its write was held");
            Assert.False(answer.IsCompleted, "the negotiation ended (answered or failed) while its write was held");
            await Task.Delay(20);
        }
        Assert.Equal("teacher-1:0", Routes(host, "device-1", 2)["main"]);
        Assert.Equal("teacher-1:1", Routes(host, "device-1", 2)["main-audio"]);
        Assert.False(answer.IsCompleted);
        await transaction.RollbackAsync();
        Assert.Equal("device-1", (await answer).PeerId);
        Assert.Contains(host.Events.EventsOf(ClassScenario.Key), e => e.Type == ClassEventTypes.MediaChanged && ((ParticipantView)e.Payload).PrincipalId == "device-1");
    }

    [Fact]
    public async Task ConnectMedia_AnotherConnectionOfTheSameParticipant_AnswerNamesTheOneThatHeldIt()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        var firstTab = new MediaHolder("node-a", "conn-1");
        var secondTab = new MediaHolder("node-b", "conn-2");

        var first = await room.ConnectMediaAsync(ClassScenario.Lead, Offer(new PublishedTracks("0", "1", "2"), 3) with { Holder = firstTab });
        var again = await room.ConnectMediaAsync(ClassScenario.Lead, Offer(new PublishedTracks("0", "1", "2"), 3) with { Holder = firstTab });
        var second = await room.ConnectMediaAsync(ClassScenario.Lead, Offer(new PublishedTracks("0", "1", "2"), 3) with { Holder = secondTab });
        await room.JoinAsync(ClassScenario.Device(1));
        var other = await room.ConnectMediaAsync(ClassScenario.Device(1), Offer(new PublishedTracks("0", "1"), 2) with { Holder = new("node-a", "conn-3") });

        Assert.Null(first.PreviousHolder);
        Assert.Null(again.PreviousHolder);
        Assert.Equal(firstTab, second.PreviousHolder);
        Assert.Null(other.PreviousHolder);
        // Every answer is numbered above the one before, whoever asked: the media node keeps the latest claim by it.
        Assert.True(first.HolderSequence > 0);
        Assert.True(again.HolderSequence > first.HolderSequence && second.HolderSequence > again.HolderSequence && other.HolderSequence > second.HolderSequence,
            $"holder sequence {first.HolderSequence}, {again.HolderSequence}, {second.HolderSequence}, {other.HolderSequence}");
    }

    [Fact]
    public async Task BringOnStage_TwoClassrooms_RoutesTheirCameraAndMicToEveryParticipantsSlots()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);

        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(2));
        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(3));

        var lead = Routes(host, "teacher-1", 3);
        Assert.Equal("none", lead["main"]); // never one's own camera
        Assert.Equal("none", lead["screen"]);
        Assert.Equal("device-2:0", lead["stage1"]);
        Assert.Equal("device-2:1", lead["stage1-audio"]);
        Assert.Equal("device-3:0", lead["stage2"]);
        Assert.Equal("device-3:1", lead["stage2-audio"]);
        foreach (var (peer, first) in new[] { ("device-1", 2), ("researcher-1", 0) })
        {
            var r = Routes(host, peer, first);
            Assert.Equal("teacher-1:0", r["main"]);
            Assert.Equal("teacher-1:1", r["main-audio"]);
            Assert.Equal("teacher-1:2", r["screen"]);
            Assert.Equal("device-2:0", r["stage1"]);
            Assert.Equal("device-3:1", r["stage2-audio"]);
        }
        var onStage = Routes(host, "device-2", 2);
        Assert.Equal("teacher-1:0", onStage["main"]);
        Assert.Equal("none", onStage["stage1"]);
        Assert.Equal("none", onStage["stage1-audio"]);
        Assert.Equal("device-3:0", onStage["stage2"]);
    }

    [Fact]
    public async Task TakeOffStage_OneOfTwo_ClearsOnlyItsSeatAndSendsOnlyChangedRoutes()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(2));
        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(3));
        var callsBefore = host.Media.Calls.Count;

        await room.TakeOffStageAsync(ClassScenario.Lead, ClassScenario.Rural(2));

        var newCalls = host.Media.Calls.Skip(callsBefore).ToList();
        Assert.All(newCalls, c => Assert.StartsWith("route", c, StringComparison.Ordinal));
        // stage1 + stage1-audio of the four others (device-2 had none there already).
        Assert.Equal(8, newCalls.Count);
        Assert.Equal("none", Routes(host, "device-1", 2)["stage1"]);
        Assert.Equal("device-3:0", Routes(host, "device-1", 2)["stage2"]);
        var snapshot = await room.GetSnapshotAsync(ClassScenario.Lead);
        Assert.Equal([new StageSeat(2, "rural-3")], snapshot.Stage);
    }

    [Fact]
    public async Task BringOnStage_StageFull_RefusedAndStageUnchanged()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(1));
        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(2));

        var ex = await ClassScenario.RefusedAsync(() => room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(3)));

        Assert.Equal(RoomErrorCode.InvalidState, ex.Code);
        Assert.Equal(["rural-1", "rural-2"], (await room.GetSnapshotAsync(ClassScenario.Lead)).Stage.Select(s => s.ClassroomId));
    }

    [Fact]
    public async Task BringOnStage_ClassroomWithRaisedHand_LowersItsHand()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        await room.RaiseHandAsync(ClassScenario.Device(1));
        await room.RaiseHandAsync(ClassScenario.Device(2));

        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(1));

        Assert.Equal(["rural-2"], (await room.GetSnapshotAsync(ClassScenario.Lead)).HandQueue);
    }

    [Fact]
    public async Task ConnectMedia_BadInput_RefusedToThatCallerOnly()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        var before = await room.GetSnapshotAsync(ClassScenario.Lead);

        var observerPublishes = await ClassScenario.RefusedAsync(() => room.ConnectMediaAsync(ClassScenario.Observer, Offer(new PublishedTracks("0"), 1)));
        var malformed = await ClassScenario.RefusedAsync(() => room.ConnectMediaAsync(ClassScenario.Device(1), new MediaOffer("invalid sdp", new PublishedTracks("0"), [])));
        var unknownSlot = await ClassScenario.RefusedAsync(() => room.ConnectMediaAsync(ClassScenario.Device(1), new MediaOffer("v=0", new PublishedTracks("0"), [new ReceiveSlot("stage7", "5")])));
        var duplicateMid = await ClassScenario.RefusedAsync(() => room.ConnectMediaAsync(ClassScenario.Device(1), new MediaOffer("v=0", new PublishedTracks("0"), [new ReceiveSlot("main", "0")])));

        Assert.Equal(RoomErrorCode.Forbidden, observerPublishes.Code);
        Assert.Equal(RoomErrorCode.InvalidInput, malformed.Code);
        Assert.Equal(RoomErrorCode.InvalidInput, unknownSlot.Code);
        Assert.Equal(RoomErrorCode.InvalidInput, duplicateMid.Code);
        Assert.Equal(before.Sequence, (await room.GetSnapshotAsync(ClassScenario.Lead)).Sequence);
        Assert.Equal("teacher-1:0", Routes(host, "device-1", 2)["main"]);
    }

    [Fact]
    public async Task ConnectMedia_LeadComesBackOnANewConnection_EveryRouteFedByTheLeadIsSentAgain()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        var callsBefore = host.Media.Calls.Count;

        // The teacher's page reloads: same participant, same peer id, a new offer.
        await room.ConnectMediaAsync(ClassScenario.Lead, Offer(new PublishedTracks("0", "1", "2"), 3));

        var newCalls = host.Media.Calls.Skip(callsBefore).ToList();
        // The SFU may have dropped the old peer (and with it the routes it fed) before the new one came: every
        // subscriber's main, main-audio and screen are routed to the lead again.
        foreach (var (peer, first) in new[] { ("device-1", 2), ("device-2", 2), ("device-3", 2), ("researcher-1", 0) })
        {
            Assert.Contains($"route {ClassScenario.ClassId} {peer} {first} -> teacher-1:0", newCalls);
            Assert.Contains($"route {ClassScenario.ClassId} {peer} {first + 1} -> teacher-1:1", newCalls);
            Assert.Contains($"route {ClassScenario.ClassId} {peer} {first + 2} -> teacher-1:2", newCalls);
        }
        Assert.Equal("teacher-1:0", Routes(host, "device-1", 2)["main"]);
    }

    [Theory]
    [InlineData(MediaRefusal.FingerprintChanged)]
    [InlineData(MediaRefusal.Unsupported)]
    [InlineData(MediaRefusal.Unavailable)]
    public async Task ConnectMedia_MediaPlaneRefuses_TheCallerGetsTheRealReasonAndTheClassIsUntouched(MediaRefusal reason)
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        var before = await room.GetSnapshotAsync(ClassScenario.Lead);

        var refused = await Assert.ThrowsAsync<MediaRefusedException>(() =>
            room.ConnectMediaAsync(ClassScenario.Device(1), new MediaOffer("refuse:" + reason, new PublishedTracks("0"), [])));

        Assert.Equal(reason, refused.Reason);
        Assert.Equal(before.Sequence, (await room.GetSnapshotAsync(ClassScenario.Lead)).Sequence);
        Assert.Equal("teacher-1:0", Routes(host, "device-1", 2)["main"]);
    }

    [Fact]
    public async Task BringOnStage_TheEventCarriesTheSeatedClassroomsParticipants_TheirPresenceSaysOnStage()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        await room.JoinAsync(ClassScenario.Assistant(2));

        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(2));

        // A projector is not sent other classrooms' presence off stage (docs/HUB.md): the stage event brings it current.
        var staged = (StageChanged)host.Events.EventsOf(ClassScenario.Key).Last(e => e.Type == ClassEventTypes.StageChanged).Payload;
        Assert.Equal([new StageSeat(1, ClassScenario.Rural(2))], staged.Stage);
        Assert.Equal(["assistant-2", "device-2"], staged.Participants!.Select(p => p.PrincipalId).Order());
        Assert.All(staged.Participants!, p => Assert.True(p.OnStage));
        var device2 = staged.Participants!.Single(p => p.PrincipalId == "device-2");
        Assert.Equal(ConnectionState.Connected, device2.Connection);
        Assert.NotNull(device2.PeerId);

        // On stage, its presence goes to every page; another classroom's does not say on stage.
        await room.LeaveAsync(ClassScenario.Assistant(2));
        await room.LeaveAsync(ClassScenario.Device(1));
        var left = host.Events.EventsOf(ClassScenario.Key).Where(e => e.Type == ClassEventTypes.ConnectionChanged).Select(e => (ParticipantView)e.Payload).ToList();
        Assert.True(left.Last(p => p.PrincipalId == "assistant-2").OnStage);
        Assert.False(left.Last(p => p.PrincipalId == "device-1").OnStage);
    }

    [Fact]
    public async Task PostChat_TheMessageSaysWhetherAPersonOrADeviceWroteIt()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        await room.JoinAsync(ClassScenario.Assistant(1));

        Assert.Equal(PrincipalKind.Device, (await room.PostChatAsync(ClassScenario.Device(1), "我们听清楚了", false)).FromKind);
        Assert.Equal(PrincipalKind.Person, (await room.PostChatAsync(ClassScenario.Assistant(1), "第三题请再讲一遍", true)).FromKind);
    }

    [Fact]
    public async Task Leave_LastParticipantOfStagedClassroom_FreesSeatAndRemovesPeer()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(2));

        await room.LeaveAsync(ClassScenario.Device(2));

        Assert.Empty((await room.GetSnapshotAsync(ClassScenario.Lead)).Stage);
        Assert.Contains($"remove {ClassScenario.ClassId} device-2", host.Media.Calls);
        Assert.Equal("none", Routes(host, "device-1", 2)["stage1"]);
        Assert.Contains(host.Events.EventsOf(ClassScenario.Key), e => e.Type == ClassEventTypes.StageChanged && ((StageChanged)e.Payload).Stage.Count == 0);
    }

    [Fact]
    public async Task ConnectMedia_PassesEachParticipantsPublishMidsToTheMediaPlane_ObserverNone()
    {
        await using var host = await TestGrainHost.CreateAsync();
        await ClassWithMediaAsync(host);

        Assert.Equal(new PublishedTracks("0", "1", "2"), host.Media.PublishOf(ClassScenario.ClassId, "teacher-1"));
        Assert.Equal(new PublishedTracks("0", "1"), host.Media.PublishOf(ClassScenario.ClassId, "device-1"));
        Assert.Equal(new PublishedTracks(), host.Media.PublishOf(ClassScenario.ClassId, ClassScenario.Observer.PrincipalId));
    }

    [Fact]
    public async Task ConnectMedia_OfferOverAMediaPlaneLimit_InvalidInputSayingTheLimit()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);

        var refused = await ClassScenario.RefusedAsync(() => room.ConnectMediaAsync(ClassScenario.Device(1),
            new MediaOffer("v=0 too-many-sections", new PublishedTracks("0"), [])));

        Assert.Equal(RoomErrorCode.InvalidInput, refused.Code);
        Assert.Contains("at most 40", refused.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("The SDP offer was refused", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ConnectMedia_AnotherParticipantsRoutesStillBeingSent_ReturnsWithItsOwnSlotsRoutedAndTheOthersConvergeAfter()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        // A classroom connected before the lead: the lead's offer then routes its main slots, which the media plane holds.
        await room.JoinAsync(ClassScenario.Device(1));
        await room.ConnectMediaAsync(ClassScenario.Device(1), Offer(new PublishedTracks("0", "1"), 2));
        var held = host.Media.HoldRoutesOf("device-1");
        var lead = room.ConnectMediaAsync(ClassScenario.Lead, Offer(new PublishedTracks("0", "1", "2"), 3));
        await held.WaitAsync(TimeSpan.FromSeconds(30));

        // Another classroom's offer changes only its own slots: it is answered without waiting for device-1's routes.
        await room.JoinAsync(ClassScenario.Device(2));
        var answer = await room.ConnectMediaAsync(ClassScenario.Device(2), Offer(new PublishedTracks("0", "1"), 2)).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal("device-2", answer.PeerId);
        Assert.Equal("teacher-1:0", Routes(host, "device-2", 2)["main"]);
        Assert.Equal("teacher-1:1", Routes(host, "device-2", 2)["main-audio"]);
        Assert.False(lead.IsCompleted);
        Assert.Equal("none", Routes(host, "device-1", 2)["main"]);
        host.Media.ReleaseRoutes();
        await lead.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("teacher-1:0", Routes(host, "device-1", 2)["main"]);
        Assert.Equal("teacher-1:2", Routes(host, "device-1", 2)["screen"]);
    }

    [Fact]
    public async Task ConnectMedia_StageClassroomComesBackOnANewConnection_EverySlotItFeedsIsSentAgainBeforeItIsAnswered()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassWithMediaAsync(host);
        await room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(2));
        var callsBefore = host.Media.Calls.Count;

        await room.ConnectMediaAsync(ClassScenario.Device(2), Offer(new PublishedTracks("0", "1"), 2));

        // Its tracks feed the others' stage1 slots: its negotiation routes them, not only its own slots.
        var newCalls = host.Media.Calls.Skip(callsBefore).ToList();
        foreach (var (peer, first) in new[] { ("teacher-1", 3), ("device-1", 2), ("device-3", 2), ("researcher-1", 0) })
        {
            Assert.Contains($"route {ClassScenario.ClassId} {peer} {first + 3} -> device-2:0", newCalls);
            Assert.Contains($"route {ClassScenario.ClassId} {peer} {first + 4} -> device-2:1", newCalls);
        }
    }
}
