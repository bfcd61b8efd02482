using LiveClassroom.Grains.Research;
using LiveClassroom.Grains.Tests.Doubles;

namespace LiveClassroom.Grains.Tests.Research;

/// <summary>The live rules with a manual clock: agenda timing, the floor, presence and playback.</summary>
public sealed class ResearchSessionRulesTests
{
    private static readonly Guid Host = Guid.Parse("00000000-0000-0000-0000-0000000000a1");
    private static readonly Guid Alice = Guid.Parse("00000000-0000-0000-0000-0000000000b1");
    private static readonly Guid Bob = Guid.Parse("00000000-0000-0000-0000-0000000000b2");
    private static readonly Guid Olga = Guid.Parse("00000000-0000-0000-0000-0000000000c1");

    private static readonly DateTimeOffset Start = new(2026, 11, 23, 1, 0, 0, TimeSpan.Zero);

    private readonly ManualTimeProvider _clock = new(Start);

    private ResearchSessionRules Rules(int turnSeconds = 120, int graceSeconds = 60) => new(
        Host,
        [new SegmentPlan("lesson_talk", "说课", 15 * 60), new SegmentPlan("observe", "观课", 40 * 60), new SegmentPlan("review", "评课", 30 * 60), new SegmentPlan("summary", "总结", 10 * 60)],
        TimeSpan.FromSeconds(turnSeconds), TimeSpan.FromSeconds(graceSeconds), _clock);

    private ResearchSessionRules LiveWithPeople(int turnSeconds = 120)
    {
        var rules = Rules(turnSeconds);
        rules.Join(Host, "主持人", ResearchRoles.Participant, "h1");
        rules.Join(Alice, "甲", ResearchRoles.Participant, "a1");
        rules.Join(Bob, "乙", ResearchRoles.Participant, "b1");
        rules.Join(Olga, "观", ResearchRoles.Observer, "o1");
        rules.Start(Host);
        rules.DrainEvents();
        return rules;
    }

    [Fact]
    public void Snapshot_WithinSegment_RemainingIsPlannedMinusElapsed()
    {
        var rules = Rules();
        rules.Start(Host);
        _clock.Advance(TimeSpan.FromMinutes(10));

        var segment = rules.Snapshot(Host).CurrentSegment!;

        Assert.Equal(0, segment.Index);
        Assert.Equal("lesson_talk", segment.Kind);
        Assert.Equal(5 * 60, segment.RemainingSeconds);
        Assert.False(segment.Overrun);
        Assert.Equal(Start, segment.StartedAt);
    }

    [Fact]
    public void Snapshot_PastPlannedDuration_RemainingIsNegativeAndOverrun()
    {
        var rules = Rules();
        rules.Start(Host);
        _clock.Advance(TimeSpan.FromMinutes(17));

        var segment = rules.Snapshot(Alice).CurrentSegment!;

        Assert.Equal(-2 * 60, segment.RemainingSeconds);
        Assert.True(segment.Overrun);
    }

    [Fact]
    public void AdvanceSegment_ByHost_StartsNextSegmentNowAndRecordsBothEdges()
    {
        var rules = Rules();
        rules.Start(Host);
        _clock.Advance(TimeSpan.FromMinutes(16));
        rules.DrainEvents();

        rules.AdvanceSegment(Host);
        _clock.Advance(TimeSpan.FromMinutes(1));

        var segment = rules.Snapshot(Host).CurrentSegment!;
        Assert.Equal(1, segment.Index);
        Assert.Equal(39 * 60, segment.RemainingSeconds);
        var events = rules.DrainEvents();
        Assert.Equal(["segment_ended", "segment_started"], events.Select(e => e.Type));
        Assert.All(events, e => Assert.Equal(Start.AddMinutes(16), e.At));
    }

    [Fact]
    public void AdvanceSegment_ByNonHost_IsForbiddenAndChangesNothing()
    {
        var rules = Rules();
        rules.Start(Host);

        var ex = Assert.Throws<ResearchRuleException>(() => rules.AdvanceSegment(Alice));

        Assert.Equal(ResearchRuleKind.Forbidden, ex.Kind);
        Assert.Equal("not_host", ex.Code);
        Assert.Equal(0, rules.Snapshot(Host).CurrentSegment!.Index);
    }

    [Fact]
    public void AdvanceSegment_OnLastSegment_IsRefused()
    {
        var rules = Rules();
        rules.Start(Host);
        for (var i = 0; i < 3; i++)
        {
            rules.AdvanceSegment(Host);
        }

        var ex = Assert.Throws<ResearchRuleException>(() => rules.AdvanceSegment(Host));

        Assert.Equal("no_next_segment", ex.Code);
        Assert.Equal(3, rules.CurrentSegmentIndex);
    }

    [Fact]
    public void AdvanceSegment_BeforeStart_IsRefused()
    {
        var rules = Rules();

        var ex = Assert.Throws<ResearchRuleException>(() => rules.AdvanceSegment(Host));

        Assert.Equal("not_started", ex.Code);
        Assert.Null(rules.Snapshot(Host).CurrentSegment);
    }

    [Fact]
    public void Grant_QueuedRequest_MakesThatPersonTheSpeakerWithTurnDeadline()
    {
        var rules = LiveWithPeople();
        rules.RequestToSpeak(Alice);
        rules.RequestToSpeak(Alice);
        rules.RequestToSpeak(Bob);
        Assert.Equal([Alice, Bob], rules.Snapshot(Host).SpeakerQueue);

        rules.Grant(Host, Alice);
        _clock.Advance(TimeSpan.FromSeconds(30));

        var snap = rules.Snapshot(Bob);
        Assert.Equal(Alice, snap.Speaker!.PersonId);
        Assert.Equal(90, snap.Speaker.RemainingSeconds);
        Assert.Equal([Bob], snap.SpeakerQueue);
    }

    [Fact]
    public void Grant_ByNonHost_IsForbiddenAndQueueIsUnchanged()
    {
        var rules = LiveWithPeople();
        rules.RequestToSpeak(Alice);

        var ex = Assert.Throws<ResearchRuleException>(() => rules.Grant(Bob, Alice));

        Assert.Equal(ResearchRuleKind.Forbidden, ex.Kind);
        Assert.Null(rules.CurrentSpeakerId);
        Assert.Equal([Alice], rules.Snapshot(Host).SpeakerQueue);
    }

    [Fact]
    public void Grant_PersonWhoDidNotAsk_IsRefused()
    {
        var rules = LiveWithPeople();

        var ex = Assert.Throws<ResearchRuleException>(() => rules.Grant(Host, Bob));

        Assert.Equal("not_in_queue", ex.Code);
        Assert.Null(rules.CurrentSpeakerId);
    }

    [Fact]
    public void Touch_AfterTurnLimit_TimerEndsTurnAtItsDeadline()
    {
        var rules = LiveWithPeople(turnSeconds: 120);
        rules.RequestToSpeak(Alice);
        rules.Grant(Host, Alice);

        _clock.Advance(TimeSpan.FromSeconds(200));
        var snap = rules.Snapshot(Host);

        Assert.Null(snap.Speaker);
        var turn = Assert.Single(rules.DrainEvents(), e => e.Type == "turn_ended");
        Assert.Equal("timer", turn.EndedBy);
        Assert.Equal(Alice, turn.PersonId);
        Assert.Equal(Start, turn.StartedAt);
        Assert.Equal(Start.AddSeconds(120), turn.At);
    }

    [Fact]
    public void Touch_BeforeTurnLimit_SpeakerKeepsTheFloor()
    {
        var rules = LiveWithPeople(turnSeconds: 120);
        rules.RequestToSpeak(Alice);
        rules.Grant(Host, Alice);

        _clock.Advance(TimeSpan.FromSeconds(119));

        Assert.Equal(Alice, rules.Snapshot(Host).Speaker?.PersonId);
        Assert.DoesNotContain(rules.DrainEvents(), e => e.Type == "turn_ended");
    }

    [Fact]
    public void EndCurrentTurn_ByHost_EndsTurnNowRecordedAsHost()
    {
        var rules = LiveWithPeople();
        rules.RequestToSpeak(Bob);
        rules.Grant(Host, Bob);
        _clock.Advance(TimeSpan.FromSeconds(45));

        rules.EndCurrentTurn(Host);

        Assert.Null(rules.CurrentSpeakerId);
        var turn = Assert.Single(rules.DrainEvents(), e => e.Type == "turn_ended");
        Assert.Equal("host", turn.EndedBy);
        Assert.Equal(45, (turn.At - turn.StartedAt!.Value).TotalSeconds);
    }

    [Fact]
    public void EndCurrentTurn_ByAnotherParticipant_IsForbidden()
    {
        var rules = LiveWithPeople();
        rules.RequestToSpeak(Bob);
        rules.Grant(Host, Bob);

        var ex = Assert.Throws<ResearchRuleException>(() => rules.EndCurrentTurn(Alice));

        Assert.Equal(ResearchRuleKind.Forbidden, ex.Kind);
        Assert.Equal(Bob, rules.CurrentSpeakerId);
    }

    [Fact]
    public void Grant_WhileSomeoneSpeaks_EndsTheirTurnAndHandsOver()
    {
        var rules = LiveWithPeople();
        rules.RequestToSpeak(Alice);
        rules.RequestToSpeak(Bob);
        rules.Grant(Host, Alice);
        _clock.Advance(TimeSpan.FromSeconds(10));

        rules.Grant(Host, Bob);

        Assert.Equal(Bob, rules.CurrentSpeakerId);
        var turn = Assert.Single(rules.DrainEvents(), e => e.Type == "turn_ended");
        Assert.Equal(Alice, turn.PersonId);
    }

    [Fact]
    public void RequestToSpeak_ByObserver_IsForbidden()
    {
        var rules = LiveWithPeople();

        var ex = Assert.Throws<ResearchRuleException>(() => rules.RequestToSpeak(Olga));

        Assert.Equal("observer_cannot_speak", ex.Code);
        Assert.Empty(rules.Snapshot(Host).SpeakerQueue);
    }

    [Fact]
    public void Snapshot_ForParticipant_HidesObserversButCountsThem()
    {
        var rules = LiveWithPeople();

        var participantView = rules.Snapshot(Alice);
        var hostView = rules.Snapshot(Host);
        var observerView = rules.Snapshot(Olga);

        Assert.DoesNotContain(participantView.Participants, p => p.PersonId == Olga);
        Assert.Equal(1, participantView.ObserverCount);
        Assert.Contains(hostView.Participants, p => p.PersonId == Olga && p.Role == ResearchRoles.Observer);
        Assert.Contains(observerView.Participants, p => p.PersonId == Olga);
        Assert.Equal(ResearchRoles.Host, hostView.Participants.Single(p => p.PersonId == Host).Role);
    }

    [Fact]
    public void Join_ReconnectWithinGrace_KeepsOnePresenceAndNoNewAttendance()
    {
        var rules = LiveWithPeople();
        rules.Disconnect(Olga, "o1");
        _clock.Advance(TimeSpan.FromSeconds(30));

        rules.Join(Olga, "观", ResearchRoles.Observer, "o2");
        _clock.Advance(TimeSpan.FromMinutes(5));

        var snap = rules.Snapshot(Host);
        Assert.Single(snap.Participants, p => p.PersonId == Olga);
        Assert.True(snap.Participants.Single(p => p.PersonId == Olga).Connected);
        Assert.Empty(rules.DrainEvents());
    }

    [Fact]
    public void Disconnect_NotBackWithinGrace_LeftAtTheMomentOfTheDrop()
    {
        var rules = LiveWithPeople();
        _clock.Advance(TimeSpan.FromMinutes(3));
        rules.Disconnect(Bob, "b1");

        _clock.Advance(TimeSpan.FromSeconds(61));
        rules.Touch();

        Assert.False(rules.IsPresent(Bob));
        var left = Assert.Single(rules.DrainEvents());
        Assert.Equal("left", left.Type);
        Assert.Equal(Start.AddMinutes(3), left.At);
    }

    [Fact]
    public void Leave_WhileSpeaking_EndsTheTurnAndLeavesTheQueue()
    {
        var rules = LiveWithPeople();
        rules.RequestToSpeak(Alice);
        rules.RequestToSpeak(Bob);
        rules.Grant(Host, Alice);

        rules.Leave(Alice);
        rules.Leave(Bob);

        var snap = rules.Snapshot(Host);
        Assert.Null(snap.Speaker);
        Assert.Empty(snap.SpeakerQueue);
        Assert.Contains(rules.DrainEvents(), e => e.Type == "turn_ended" && e.PersonId == Alice && e.EndedBy == "speaker");
    }

    [Fact]
    public void SetPlayback_ByHost_StampsServerTimeSoClientsCanExtrapolate()
    {
        var rules = LiveWithPeople();
        var recording = Guid.NewGuid();
        _clock.Advance(TimeSpan.FromSeconds(5));

        rules.SetPlayback(Host, recording, playing: true, positionSeconds: 123.5);
        _clock.Advance(TimeSpan.FromSeconds(10));

        var snap = rules.Snapshot(Alice);
        Assert.Equal(new PlaybackState(recording, true, 123.5, Start.AddSeconds(5)), snap.Playback);
        var position = snap.Playback!.PositionSeconds + (snap.ServerTime - snap.Playback.AtServerTime).TotalSeconds;
        Assert.Equal(133.5, position);
    }

    [Fact]
    public void SetPlayback_ByParticipant_IsForbidden()
    {
        var rules = LiveWithPeople();

        Assert.Throws<ResearchRuleException>(() => rules.SetPlayback(Alice, Guid.NewGuid(), true, 0));

        Assert.Null(rules.Snapshot(Alice).Playback);
    }

    [Fact]
    public void End_ByHost_ClosesSegmentTurnAndEveryPresenceAtOneInstant()
    {
        var rules = LiveWithPeople();
        rules.RequestToSpeak(Alice);
        rules.Grant(Host, Alice);
        _clock.Advance(TimeSpan.FromMinutes(1));

        rules.End(Host);

        var events = rules.DrainEvents();
        var end = Start.AddMinutes(1);
        Assert.Equal(ResearchSessionRules.StatusEnded, rules.Status);
        Assert.Contains(events, e => e.Type == "turn_ended" && e.EndedBy == "session_end" && e.At == end);
        Assert.Equal(4, events.Count(e => e.Type == "left" && e.At == end));
        Assert.Contains(events, e => e.Type == "segment_ended" && e.SegmentIndex == 0 && e.At == end);
        Assert.Throws<ResearchRuleException>(() => rules.Join(Alice, "甲", ResearchRoles.Participant, "a2"));
    }
}
