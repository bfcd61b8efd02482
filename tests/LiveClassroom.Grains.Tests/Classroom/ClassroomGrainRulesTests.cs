using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Classroom;

public sealed class ClassroomGrainRulesTests
{
    private static readonly MediaOffer DeviceOffer = new(
        "v=0 device", new PublishedTracks("0", "1"), [new ReceiveSlot("main", "2"), new ReceiveSlot("main-audio", "3")]);

    [Fact]
    public async Task SetClassroomMuted_ClassroomTriesToUnmute_ForbiddenAndStaysMuted()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.ConnectMediaAsync(ClassScenario.Device(1), DeviceOffer);
        await room.SetClassroomMutedAsync(ClassScenario.Lead, ClassScenario.Rural(1), muted: true);

        var byDevice = await ClassScenario.RefusedAsync(() => room.SetClassroomMutedAsync(ClassScenario.Device(1), ClassScenario.Rural(1), muted: false));
        await room.JoinAsync(ClassScenario.Assistant(1));
        var byAssistant = await ClassScenario.RefusedAsync(() => room.SetClassroomMutedAsync(ClassScenario.Assistant(1), ClassScenario.Rural(1), muted: false));
        // Renegotiating media must not shake the mute off either.
        await room.ConnectMediaAsync(ClassScenario.Device(1), DeviceOffer);

        Assert.Equal(RoomErrorCode.Forbidden, byDevice.Code);
        Assert.Equal(RoomErrorCode.Forbidden, byAssistant.Code);
        var snapshot = await room.GetSnapshotAsync(ClassScenario.Lead);
        Assert.True(snapshot.Classrooms.Single(c => c.ClassroomId == ClassScenario.Rural(1)).MutedByLead);
        Assert.True(host.Media.IsMuted(ClassScenario.ClassId, "device-1"));

        await room.SetClassroomMutedAsync(ClassScenario.Lead, ClassScenario.Rural(1), muted: false);
        Assert.False(host.Media.IsMuted(ClassScenario.ClassId, "device-1"));
    }

    [Fact]
    public async Task Join_AfterConnectionLost_ResumesTileAndHandPosition()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        foreach (var n in new[] { 2, 1, 3 })
        {
            await room.JoinAsync(ClassScenario.Device(n));
            await room.RaiseHandAsync(ClassScenario.Device(n));
        }
        var before = await room.GetSnapshotAsync(ClassScenario.Lead);

        await room.ConnectionLostAsync("device-1");
        var during = await room.GetSnapshotAsync(ClassScenario.Lead);
        await host.AdvanceAsync(TimeSpan.FromSeconds(20));
        var after = await room.JoinAsync(ClassScenario.Device(1));

        Assert.Equal(ConnectionState.Reconnecting, during.Participants.Single(p => p.PrincipalId == "device-1").Connection);
        Assert.Equal(["rural-2", "rural-1", "rural-3"], during.HandQueue);
        var p1 = after.Participants.Single(p => p.PrincipalId == "device-1");
        Assert.Equal(ConnectionState.Connected, p1.Connection);
        Assert.Equal(before.Participants.Single(p => p.PrincipalId == "device-1").Tile, p1.Tile);
        Assert.Equal(1, p1.Tile);
        Assert.Equal(["rural-2", "rural-1", "rural-3"], after.HandQueue);
        var c1 = after.Classrooms.Single(c => c.ClassroomId == "rural-1");
        Assert.Equal(2, c1.HandPosition);
        Assert.Equal(1, c1.Attendance.ReconnectCount);
        // Rejoined in place, not added again; the rural page's own snapshot holds its classroom and not the others off
        // stage (ClassSnapshot.ForRuralClassroom), the lead's holds both.
        Assert.Single(after.Participants, p => p.ClassroomId == "rural-1");
        Assert.DoesNotContain(after.Participants, p => p.ClassroomId == "rural-2");
        var lead = await room.GetSnapshotAsync(ClassScenario.Lead);
        Assert.Equal(2, lead.Participants.Count(p => p.ClassroomId is "rural-1" or "rural-2"));
    }

    [Fact]
    public async Task ReconnectGrace_Elapses_ParticipantLeftAndItsHandLowered()
    {
        await using var host = await TestGrainHost.CreateAsync(o => o.ReconnectGrace = TimeSpan.FromSeconds(60));
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.RaiseHandAsync(ClassScenario.Device(1));
        await room.ConnectionLostAsync("device-1");

        await host.AdvanceAsync(TimeSpan.FromSeconds(59));
        var early = await room.GetSnapshotAsync(ClassScenario.Lead);
        await host.AdvanceAsync(TimeSpan.FromSeconds(2));
        var late = await room.GetSnapshotAsync(ClassScenario.Lead);

        Assert.Equal(ConnectionState.Reconnecting, early.Participants.Single(p => p.PrincipalId == "device-1").Connection);
        Assert.Equal(["rural-1"], early.HandQueue);
        Assert.Equal(ConnectionState.Left, late.Participants.Single(p => p.PrincipalId == "device-1").Connection);
        Assert.Empty(late.HandQueue);
    }

    [Fact]
    public async Task Attendance_JoinDropAndRejoin_CountsMinutesPresentAndReconnects()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        var joinedAt = host.Time.GetUtcNow();
        await room.JoinAsync(ClassScenario.Device(1));
        await host.AdvanceAsync(TimeSpan.FromMinutes(10));
        await room.ConnectionLostAsync("device-1");
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));
        await room.JoinAsync(ClassScenario.Device(1));
        await host.AdvanceAsync(TimeSpan.FromMinutes(5));

        var ended = await room.EndAsync(ClassScenario.Lead);

        var a = ended.Classrooms.Single(c => c.ClassroomId == "rural-1").Attendance;
        Assert.Equal(joinedAt, a.FirstJoinedAt);
        Assert.Equal(15.0, a.MinutesPresent);
        Assert.Equal(1, a.ReconnectCount);
        Assert.Equal(host.Time.GetUtcNow(), a.LastLeftAt);
        var absent = ended.Classrooms.Single(c => c.ClassroomId == "rural-3").Attendance;
        Assert.Null(absent.FirstJoinedAt);
        Assert.Equal(0.0, absent.MinutesPresent);
    }

    [Fact]
    public async Task EndedClass_EveryMutation_RefusedWithInvalidStateAndNothingChanges()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.EndAsync(ClassScenario.Lead);
        var before = await room.GetSnapshotAsync(ClassScenario.Lead);

        Func<Task>[] mutations =
        [
            () => room.JoinAsync(ClassScenario.Device(2)),
            () => room.RaiseHandAsync(ClassScenario.Device(1)),
            () => room.LowerHandAsync(ClassScenario.Device(1)),
            () => room.BringOnStageAsync(ClassScenario.Lead, ClassScenario.Rural(1)),
            () => room.SetClassroomMutedAsync(ClassScenario.Lead, ClassScenario.Rural(1), true),
            () => room.PostChatAsync(ClassScenario.Lead, "还在吗", false),
            () => room.OpenAsync(ClassScenario.Lead),
            () => room.EndAsync(ClassScenario.Lead),
            () => room.LeaveAsync(ClassScenario.Device(1)),
            () => room.ConnectMediaAsync(ClassScenario.Device(1), DeviceOffer),
            () => room.SetupAsync(RoomCaller.System, ClassScenario.Setup()),
        ];
        foreach (var mutation in mutations)
        {
            var ex = await ClassScenario.RefusedAsync(mutation);
            Assert.Equal(RoomErrorCode.InvalidState, ex.Code);
        }

        var after = await room.GetSnapshotAsync(ClassScenario.Lead);
        Assert.Equal(ClassState.Ended, after.State);
        Assert.Equal(before.Sequence, after.Sequence);
    }

    [Fact]
    public async Task Roles_StrangersAndWrongRoles_Refused()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));
        await room.JoinAsync(ClassScenario.Observer);

        var unpaired = new RoomCaller("device-9", "外校", RoomRole.Classroom, "rural-9", PrincipalKind.Device);
        var fakeLead = new RoomCaller("teacher-2", "李老师", RoomRole.Lead, "other-room");

        Assert.Equal(RoomErrorCode.Forbidden, (await ClassScenario.RefusedAsync(() => room.JoinAsync(unpaired))).Code);
        Assert.Equal(RoomErrorCode.Forbidden, (await ClassScenario.RefusedAsync(() => room.EndAsync(fakeLead))).Code);
        Assert.Equal(RoomErrorCode.Forbidden, (await ClassScenario.RefusedAsync(() => room.BringOnStageAsync(ClassScenario.Device(1), ClassScenario.Rural(1)))).Code);
        Assert.Equal(RoomErrorCode.Forbidden, (await ClassScenario.RefusedAsync(() => room.RaiseHandAsync(ClassScenario.Observer))).Code);
        Assert.Equal(RoomErrorCode.NotJoined, (await ClassScenario.RefusedAsync(() => room.RaiseHandAsync(ClassScenario.Device(2)))).Code);
        Assert.Equal(RoomErrorCode.NotFound, (await ClassScenario.RefusedAsync(
            () => host.GetGrain<IClassroomGrain>("no-such-class").JoinAsync(ClassScenario.Lead))).Code);
        Assert.Equal(ClassState.Live, (await room.GetSnapshotAsync(ClassScenario.Lead)).State);
    }

    [Fact]
    public async Task Chat_QuestionsPinsAndLimits_EnforcedByTheRoom()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var room = await ClassScenario.LiveClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(1));

        var question = await room.PostChatAsync(ClassScenario.Device(1), "  分母可以是0吗？ ", isQuestion: true);
        var tooLong = await ClassScenario.RefusedAsync(() => room.PostChatAsync(ClassScenario.Device(1), new string('字', 501), false));
        var empty = await ClassScenario.RefusedAsync(() => room.PostChatAsync(ClassScenario.Device(1), "   ", false));
        var pinByClassroom = await ClassScenario.RefusedAsync(() => room.PinMessageAsync(ClassScenario.Device(1), question.MessageId, true));
        await room.PinMessageAsync(ClassScenario.Lead, question.MessageId, true);
        for (var i = 0; i < 250; i++)
        {
            await room.PostChatAsync(ClassScenario.Lead, $"第{i}条", false);
        }
        var snapshot = await room.GetSnapshotAsync(ClassScenario.Lead);
        var unknown = await ClassScenario.RefusedAsync(() => room.DismissMessageAsync(ClassScenario.Lead, "9999"));

        Assert.Equal("分母可以是0吗？", question.Text);
        Assert.True(question.IsQuestion);
        Assert.Equal(RoomErrorCode.InvalidInput, tooLong.Code);
        Assert.Equal(RoomErrorCode.InvalidInput, empty.Code);
        Assert.Equal(RoomErrorCode.Forbidden, pinByClassroom.Code);
        Assert.Equal(RoomErrorCode.NotFound, unknown.Code);
        Assert.Equal(200, snapshot.Chat.Count);
        Assert.Contains(snapshot.Chat, m => m.MessageId == question.MessageId && m.Pinned);
        Assert.Equal("第249条", snapshot.Chat[^1].Text);
    }
}
