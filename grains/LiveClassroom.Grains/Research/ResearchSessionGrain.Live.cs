namespace LiveClassroom.Grains.Research;

/// <summary>The live tools: agenda, floor, presence with reconnect grace, shared playback, and the expiry timer.</summary>
internal sealed partial class ResearchSessionGrain
{
    private static readonly TimeSpan SweepPeriod = TimeSpan.FromSeconds(5);

    protected override async Task OnActivateAsync()
    {
        // Turn deadlines and reconnect graces fall due with nobody calling: record them within a few seconds.
        EnsureTicking(SweepPeriod);
        // As in a class: connections and media peers do not survive an activation. Whoever the state counts connected
        // dropped when the previous node was last known alive; their pages are told (MediaEpoch) to join again.
        if (State.Status == ResearchSessionState.Live && State.Live is { Status: ResearchSessionRules.StatusLive } live
            && live.Present.Exists(p => p.Connections.Count > 0 || p.PeerId is not null))
        {
            var lost = await ConnectionsLostAtAsync();
            var rules = Rules();
            rules.ConnectionsLost(lost);
            State.Present = [.. rules.PresentIds.Select(id => id.ToString())];
            EmitLive(rules);
            await CommitAsync();
        }
    }

    protected override Task OnTickAsync() => SweepAsync();

    public async Task<ResearchLiveSnapshot> SetUpLiveAsync(RoomCaller caller, ResearchLiveSetup setup)
    {
        Check(caller);
        if (caller.Role is not (RoomRole.System or RoomRole.Admin))
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only the server or an administrator sets a session up.");
        }
        if (State.Status is ResearchSessionState.Live or ResearchSessionState.Ended)
        {
            throw new ResearchRuleException(ResearchRuleKind.Conflict, "already_started", "The session has already started.", "教研活动已经开始。");
        }
        if (setup is null || setup.Agenda is null || setup.Agenda.Count is 0 or > 20 || setup.SpeakerTurnSeconds is < 10 or > 7200
            || setup.Agenda.Any(s => s is null || !SegmentPlan.Kinds.Contains(s.Kind) || s.PlannedSeconds is < 60 or > 28_800))
        {
            throw new ResearchRuleException(ResearchRuleKind.Invalid, "invalid_setup", "The agenda needs 1–20 segments of known kinds and 1–480 minutes; turns 10–7200 s.",
                "议程需要 1–20 个有效环节（每个 1–480 分钟），每次发言 10–7200 秒。");
        }
        var present = State.Live?.Present ?? [];
        State.Live = ResearchSessionRules.NewState(setup.HostId, setup.Agenda, TimeSpan.FromSeconds(setup.SpeakerTurnSeconds));
        State.Live.Present = present;
        State.Definition ??= DefinitionFrom(setup);
        State.Status = ResearchSessionState.Scheduled;
        return await LiveAsync(caller, _ => { });
    }

    public Task<ResearchLiveSnapshot> JoinAsAsync(RoomCaller caller, string role, string connectionId)
    {
        if (State.Status == ResearchSessionState.Ended)
        {
            throw new ResearchRuleException(ResearchRuleKind.Conflict, "session_ended", "The session has ended.", "教研活动已结束。");
        }
        return LiveAsync(caller, r => r.Join(PersonId(caller), caller.DisplayName, role, string.IsNullOrEmpty(connectionId) ? "default" : connectionId), present: true);
    }

    public Task ConnectionLostAsync(RoomCaller caller, string connectionId) =>
        LiveAsync(caller, r => r.Disconnect(PersonId(caller), connectionId), present: true);

    public Task<ResearchLiveSnapshot> GetLiveAsync(RoomCaller caller) => LiveAsync(caller, _ => { }, readOnly: true);

    public Task<ResearchLiveSnapshot> AdvanceSegmentAsync(RoomCaller caller) => LiveAsync(caller, r => r.AdvanceSegment(PersonId(caller)));

    public Task<ResearchLiveSnapshot> RequestFloorAsync(RoomCaller caller) => LiveAsync(caller, r => r.RequestToSpeak(PersonId(caller)));

    public Task<ResearchLiveSnapshot> WithdrawFloorRequestAsync(RoomCaller caller) => LiveAsync(caller, r => r.WithdrawRequest(PersonId(caller)));

    public Task<ResearchLiveSnapshot> GrantFloorAsync(RoomCaller caller, Guid personId) => LiveAsync(caller, r => r.Grant(PersonId(caller), personId));

    public Task<ResearchLiveSnapshot> EndTurnAsync(RoomCaller caller) => LiveAsync(caller, r => r.EndCurrentTurn(PersonId(caller)));

    public Task<ResearchLiveSnapshot> SetPlaybackAsync(RoomCaller caller, Guid recordingId, bool playing, double positionSeconds) =>
        LiveAsync(caller, r => r.SetPlayback(PersonId(caller), recordingId, playing, positionSeconds));

    /// <summary>
    /// Runs one command on the rules and persists what changed. A refusal still persists expiries that fell due
    /// before it (a turn the timer ended stays ended), then reaches the caller.
    /// </summary>
    /// <param name="readOnly">Looks only: writes and publishes only if expiries fell due (polling must not churn the store or the clients).</param>
    private async Task<ResearchLiveSnapshot> LiveAsync(RoomCaller caller, Action<ResearchSessionRules> command, bool present = false, bool readOnly = false)
    {
        Check(caller);
        var rules = Rules();
        var peers = rules.Peers();
        try
        {
            command(rules);
        }
        catch (ResearchRuleException)
        {
            EmitLive(rules);
            await CommitAsync();
            await SyncMediaAsync(rules, peers);
            throw;
        }
        if (present || readOnly)
        {
            State.Present = [.. rules.PresentIds.Select(id => id.ToString())];
        }
        if (EmitLive(rules, always: !readOnly) || !readOnly)
        {
            await CommitAsync();
        }
        await SyncMediaAsync(rules, peers);
        return rules.Snapshot(Guid.TryParse(caller.PrincipalId, out var viewer) ? viewer : Guid.Empty);
    }

    private async Task SweepAsync()
    {
        if (State.Live is not { Status: ResearchSessionRules.StatusLive })
        {
            return;
        }
        var rules = Rules();
        var peers = rules.Peers();
        rules.Touch();
        if (EmitLive(rules, always: false))
        {
            State.Present = [.. rules.PresentIds.Select(id => id.ToString())];
            await CommitAsync();
            await SyncMediaAsync(rules, peers);
        }
    }

    /// <summary>Queues a <see cref="ResearchEventTypes.LiveChanged"/> event when the rules produced facts or a command ran; false when nothing happened.</summary>
    private bool EmitLive(ResearchSessionRules? rules, bool always = true)
    {
        if (rules is null)
        {
            return false;
        }
        var facts = rules.DrainEvents();
        var snapshot = rules.Snapshot(Guid.Empty);
        facts = [.. facts, .. rules.DrainEvents()];
        if (facts.Count == 0 && !always)
        {
            return false;
        }
        Emit(ResearchEventTypes.LiveChanged, new ResearchLiveChanged(snapshot, facts));
        return facts.Count > 0;
    }

    private ResearchSessionRules Rules() =>
        new(State.Live ?? throw new ResearchRuleException(ResearchRuleKind.Conflict, "not_set_up", "The session's agenda has not been set up.", "教研活动议程尚未设置。"),
            Options.ReconnectGrace, Time);

    private static Guid PersonId(RoomCaller caller) =>
        Guid.TryParse(caller.PrincipalId, out var id)
            ? id
            : throw new ResearchRuleException(ResearchRuleKind.Invalid, "bad_caller", "Research sessions are for people (a person id is expected).", "教研活动仅面向个人账号。");
}
