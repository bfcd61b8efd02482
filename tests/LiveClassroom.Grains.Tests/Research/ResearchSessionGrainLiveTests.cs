using LiveClassroom.Grains.Research;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Research;

/// <summary>The live rules hosted by the research grain: persisted across restarts, refusals without faults, timer-driven facts.</summary>
public sealed class ResearchSessionGrainLiveTests
{
    private static readonly Guid HostId = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid TeacherId = Guid.Parse("00000000-0000-0000-0000-0000000000b1");
    private static readonly RoomCaller Host = new(HostId.ToString(), "刘教研", RoomRole.Observer);
    private static readonly RoomCaller Teacher = new(TeacherId.ToString(), "王芳", RoomRole.Observer);

    private static ResearchLiveSetup Setup(DateTimeOffset start) =>
        new(HostId, "刘教研", "分数的初步认识 评课", start, [new SegmentPlan("observe", "观课", 2400), new SegmentPlan("review", "评课", 1800)], 120);

    private static async Task<IResearchSessionGrain> LiveSessionWithSpeakerAsync(TestGrainHost host)
    {
        var session = host.GetGrain<IResearchSessionGrain>("session-1");
        await session.SetUpLiveAsync(RoomCaller.System, Setup(host.Time.GetUtcNow()));
        await session.StartAsync(Host);
        await session.JoinAsAsync(Host, ResearchRoles.Participant, "h1");
        await session.JoinAsAsync(Teacher, ResearchRoles.Participant, "t1");
        await session.RequestFloorAsync(Teacher);
        await session.GrantFloorAsync(Host, TeacherId);
        return session;
    }

    private static IEnumerable<ResearchEvent> Facts(TestGrainHost host) =>
        host.Events.Events.Where(e => e.Type == ResearchEventTypes.LiveChanged).SelectMany(e => ((ResearchLiveChanged)e.Payload).Facts);

    [Fact]
    public async Task LiveSession_AfterHostRestart_ResumesSegmentSpeakerAndPresence()
    {
        await using var second = await TestGrainHost.CreateAsync();
        await LiveSessionWithSpeakerAsync(second);
        await second.AdvanceAsync(TimeSpan.FromSeconds(30));
        await second.RestartAsync();
        await second.AdvanceAsync(TimeSpan.FromSeconds(15));

        var snapshot = await second.GetGrain<IResearchSessionGrain>("session-1").GetLiveAsync(Host);

        Assert.Equal(ResearchSessionRules.StatusLive, snapshot.Status);
        Assert.Equal(0, snapshot.CurrentSegment!.Index);
        Assert.Equal(TeacherId, snapshot.Speaker?.PersonId);
        Assert.Contains(snapshot.Participants, p => p.PersonId == TeacherId);
    }

    [Fact]
    public async Task Activation_PreviousNodeDied_EveryoneDroppedAtItsLastSignOfLifeAndAskedToJoinAgain()
    {
        await using var host = await TestGrainHost.CreateAsync(o => o.ReconnectGrace = TimeSpan.FromSeconds(30));
        await LiveSessionWithSpeakerAsync(host);
        await host.AdvanceAsync(TimeSpan.FromMinutes(2));
        var lastAlive = host.Time.GetUtcNow();
        const string deadNode = "10.0.0.99:11111@99";
        host.Liveness.Died(deadNode, lastAlive);
        await host.LoseNodeAsync(new GrainKey(GrainKinds.Research, "session-1"), deadNode);
        host.Time.Advance(TimeSpan.FromSeconds(9));
        var session = host.GetGrain<IResearchSessionGrain>("session-1");

        var during = await session.GetLiveAsync(Host);
        var pushed = host.Events.Events.Last(e => e.Type == ResearchEventTypes.LiveChanged);
        var back = await session.JoinAsAsync(Host, ResearchRoles.Participant, "h2");
        await host.AdvanceAsync(TimeSpan.FromSeconds(25)); // the teacher's grace, counted from the loss, runs out
        var after = await session.GetLiveAsync(Host);

        Assert.All(during.Participants, p => Assert.False(p.Connected));
        Assert.Equal(1, during.MediaEpoch);
        Assert.Equal(1, ((ResearchLiveChanged)pushed.Payload).Snapshot.MediaEpoch);
        Assert.True(back.Participants.Single(p => p.PersonId == HostId).Connected);
        Assert.DoesNotContain(after.Participants, p => p.PersonId == TeacherId);
        var left = Assert.Single(Facts(host), f => f.Type == "left" && f.PersonId == TeacherId);
        Assert.Equal(lastAlive, left.At);
        Assert.DoesNotContain(Facts(host), f => f.Type == "left" && f.PersonId == HostId);
    }

    [Fact]
    public async Task GrantFloor_ByNonHost_RefusedAndGrainKeepsItsState()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveSessionWithSpeakerAsync(host);

        var refused = await Assert.ThrowsAsync<ResearchRuleException>(() => session.GrantFloorAsync(Teacher, TeacherId));

        Assert.Equal("not_host", refused.Code);
        Assert.Equal(TeacherId, (await session.GetLiveAsync(Teacher)).Speaker?.PersonId);
    }

    [Fact]
    public async Task Timer_TurnLimitPassesWithNoCalls_TurnEndedFactAtTheDeadline()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveSessionWithSpeakerAsync(host);
        var granted = host.Time.GetUtcNow();

        await host.AdvanceAsync(TimeSpan.FromSeconds(130));

        var ended = Assert.Single(Facts(host), f => f.Type == "turn_ended");
        Assert.Equal("timer", ended.EndedBy);
        Assert.Equal(granted.AddSeconds(120), ended.At);
        Assert.Null((await session.GetLiveAsync(Host)).Speaker);
    }

    [Fact]
    public async Task ConnectionLost_ReconnectWithinGrace_NoLeftFact()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveSessionWithSpeakerAsync(host);

        await session.ConnectionLostAsync(Teacher, "t1");
        await host.AdvanceAsync(TimeSpan.FromSeconds(20));
        await session.JoinAsAsync(Teacher, ResearchRoles.Participant, "t2");
        await host.AdvanceAsync(host.Options.ReconnectGrace * 2);

        Assert.DoesNotContain(Facts(host), f => f.Type == "left");
        Assert.Single(Facts(host), f => f.Type == "joined" && f.PersonId == TeacherId);
    }

    [Fact]
    public async Task GetLive_NothingDue_PublishesNothing()
    {
        await using var host = await TestGrainHost.CreateAsync();
        var session = await LiveSessionWithSpeakerAsync(host);
        var before = host.Events.Events.Count;

        await session.GetLiveAsync(Teacher);
        await session.GetLiveAsync(Host);

        Assert.Equal(before, host.Events.Events.Count);
    }

    [Fact]
    public async Task AnyLiveCall_BeforeSetUp_RefusedAsNotSetUp()
    {
        await using var host = await TestGrainHost.CreateAsync();

        var refused = await Assert.ThrowsAsync<ResearchRuleException>(() => host.GetGrain<IResearchSessionGrain>("session-2").GetLiveAsync(Host));

        Assert.Equal("not_set_up", refused.Code);
    }
}
