namespace LiveClassroom.Grains.Research;

/// <summary>
/// The live rules of one teaching-research session, hosted by its grain (one message at a time, no locking here).
/// State: scheduled → live (segment i running, i = 0…n−1, advanced by the host) → ended.
/// Time comes only from the <see cref="TimeProvider"/>; expiries (speaker turn, reconnect grace) are applied
/// lazily at the instant they fell due whenever the session is next touched, so results do not depend on
/// when the host happens to look. Facts to record are collected until <see cref="DrainEvents"/>.
/// </summary>
public sealed partial class ResearchSessionRules
{
    public const string StatusScheduled = "scheduled";
    public const string StatusLive = "live";
    public const string StatusEnded = "ended";

    private readonly TimeProvider _time;
    private readonly ResearchLiveState _s;
    private readonly List<ResearchEvent> _events = [];

    /// <summary>Rules over a fresh session.</summary>
    public ResearchSessionRules(Guid hostId, IReadOnlyList<SegmentPlan> agenda, TimeSpan speakerTurnLimit, TimeSpan reconnectGrace, TimeProvider time)
        : this(NewState(hostId, agenda, speakerTurnLimit), reconnectGrace, time)
    {
    }

    /// <summary>Rules over a persisted state, which they change in place.</summary>
    public ResearchSessionRules(ResearchLiveState state, TimeSpan reconnectGrace, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (state.Agenda.Count == 0 || state.SpeakerTurnSeconds <= 0)
        {
            throw new ArgumentException("a session needs at least one agenda segment and a positive turn limit", nameof(state));
        }
        _s = state;
        ReconnectGrace = reconnectGrace;
        _time = time;
    }

    public static ResearchLiveState NewState(Guid hostId, IReadOnlyList<SegmentPlan> agenda, TimeSpan speakerTurnLimit)
    {
        ArgumentNullException.ThrowIfNull(agenda);
        if (agenda.Count == 0)
        {
            throw new ArgumentException("a session needs at least one agenda segment", nameof(agenda));
        }
        if (speakerTurnLimit < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(nameof(speakerTurnLimit));
        }
        return new ResearchLiveState { HostId = hostId, Agenda = [.. agenda], SpeakerTurnSeconds = (int)speakerTurnLimit.TotalSeconds };
    }

    public ResearchLiveState State => _s;

    public Guid HostId => _s.HostId;

    public TimeSpan SpeakerTurnLimit => TimeSpan.FromSeconds(_s.SpeakerTurnSeconds);

    public TimeSpan ReconnectGrace { get; }

    public string Status => _s.Status;

    /// <summary>−1 before the start.</summary>
    public int CurrentSegmentIndex => _s.CurrentSegmentIndex;

    public DateTimeOffset? CurrentSegmentStartedAt => _s.CurrentSegmentStartedAt;

    private IReadOnlyList<SegmentPlan> Agenda => _s.Agenda;

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Starts the first segment. Host only.</summary>
    public void Start(Guid callerId)
    {
        Touch();
        RequireHost(callerId);
        if (Status != StatusScheduled)
        {
            throw Conflict("already_started", "The session has already started.", "教研活动已经开始。");
        }
        var now = Now;
        _s.Status = StatusLive;
        _events.Add(new ResearchEvent("session_started", now));
        BeginSegment(0, now);
    }

    /// <summary>Ends the running segment and starts the next one. Host only; the last segment is ended by <see cref="End"/>.</summary>
    public void AdvanceSegment(Guid callerId)
    {
        Touch();
        RequireHost(callerId);
        RequireLive();
        if (CurrentSegmentIndex >= Agenda.Count - 1)
        {
            throw Conflict("no_next_segment", "This is the last segment; end the session instead.", "已是最后一个环节，请结束活动。");
        }
        var now = Now;
        _events.Add(new ResearchEvent("segment_ended", now, SegmentIndex: CurrentSegmentIndex));
        BeginSegment(CurrentSegmentIndex + 1, now);
    }

    /// <summary>Ends the session: the segment, the turn and every presence close at this instant. Host only.</summary>
    public void End(Guid callerId)
    {
        Touch();
        RequireHost(callerId);
        RequireLive();
        var now = Now;
        if (_s.SpeakerId is not null)
        {
            EndTurn(now, "session_end");
        }
        _s.Queue.Clear();
        _events.Add(new ResearchEvent("segment_ended", now, SegmentIndex: CurrentSegmentIndex));
        foreach (var p in _s.Present.ToList())
        {
            RecordLeft(p, p.DisconnectedAt ?? now);
        }
        _s.Playback = _s.Playback is { Playing: true } ? Freeze(_s.Playback, now) : _s.Playback;
        _s.Status = StatusEnded;
        _events.Add(new ResearchEvent("session_ended", now));
    }

    /// <summary>The session as <paramref name="viewerId"/> sees it now.</summary>
    public ResearchLiveSnapshot Snapshot(Guid viewerId)
    {
        Touch();
        var now = Now;
        SegmentView? segment = null;
        if (Status == StatusLive && CurrentSegmentStartedAt is { } started)
        {
            var plan = Agenda[CurrentSegmentIndex];
            var elapsed = (now - started).TotalSeconds;
            var remaining = plan.PlannedSeconds - elapsed;
            segment = new SegmentView(CurrentSegmentIndex, plan.Kind, plan.Title, plan.PlannedSeconds, started, elapsed, remaining, remaining < 0);
        }
        SpeakerView? speaker = null;
        if (_s.SpeakerId is { } speakerId && _s.SpeakerStartedAt is { } since)
        {
            var endsAt = since + SpeakerTurnLimit;
            speaker = new SpeakerView(speakerId, NameOf(speakerId), since, endsAt, (endsAt - now).TotalSeconds);
        }
        var seesObservers = viewerId == HostId;
        var people = new List<ResearchParticipantView>();
        var observers = 0;
        foreach (var p in _s.Present.OrderBy(p => p.JoinedAt))
        {
            if (p.Role == ResearchRoles.Observer)
            {
                observers++;
                if (!seesObservers && p.PersonId != viewerId)
                {
                    continue;
                }
            }
            people.Add(new ResearchParticipantView(p.PersonId, p.DisplayName, p.Role, p.JoinedAt, p.Connections.Count > 0));
        }
        return new ResearchLiveSnapshot(
            Status, now, segment, Agenda.Count, speaker, _s.Queue.ToList(), people, observers, _s.Playback, _s.SpeakerTurnSeconds, Tiles(), _s.MediaEpoch);
    }

    /// <summary>Applies expiries that fell due; call from a timer so idle sessions still record them promptly.</summary>
    public void Touch()
    {
        var now = Now;
        if (_s.SpeakerStartedAt is { } since && since + SpeakerTurnLimit <= now)
        {
            EndTurn(since + SpeakerTurnLimit, "timer");
        }
        foreach (var p in _s.Present.ToList())
        {
            if (p.DisconnectedAt is { } gone && gone + ReconnectGrace <= now)
            {
                RecordLeft(p, gone);
            }
        }
    }

    /// <summary>The facts produced since the last call, oldest first.</summary>
    public IReadOnlyList<ResearchEvent> DrainEvents()
    {
        var drained = _events.ToList();
        _events.Clear();
        return drained;
    }

    private void BeginSegment(int index, DateTimeOffset at)
    {
        _s.CurrentSegmentIndex = index;
        _s.CurrentSegmentStartedAt = at;
        _events.Add(new ResearchEvent("segment_started", at, SegmentIndex: index));
    }

    private void RequireHost(Guid callerId)
    {
        if (callerId != HostId)
        {
            throw new ResearchRuleException(ResearchRuleKind.Forbidden, "not_host", "Only the session host may do this.", "只有主持人可以执行此操作。");
        }
    }

    private void RequireLive()
    {
        if (Status != StatusLive)
        {
            throw Status == StatusEnded
                ? Conflict("session_ended", "The session has ended.", "教研活动已结束。")
                : Conflict("not_started", "The session has not started yet.", "教研活动尚未开始。");
        }
    }

    private static ResearchRuleException Conflict(string code, string message, string messageZh) =>
        new(ResearchRuleKind.Conflict, code, message, messageZh);

    private static ResearchRuleException Invalid(string code, string message, string messageZh) =>
        new(ResearchRuleKind.Invalid, code, message, messageZh);
}
