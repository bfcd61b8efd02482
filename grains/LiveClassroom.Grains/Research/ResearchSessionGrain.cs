using LiveClassroom.Grains.Rooms;
using LiveClassroom.Grains.Pairing;

namespace LiveClassroom.Grains.Research;

/// <summary>
/// A teaching-research session. NotScheduled → Scheduled → Live → Ended; only the host starts and ends it. The live
/// part (agenda, floor, presences, playback) is <see cref="ResearchSessionRules"/> over <see cref="ResearchSessionGrainState.Live"/>,
/// persisted with the rest of the state after every change; its facts go out as <see cref="ResearchEventTypes.LiveChanged"/>.
/// </summary>
[GrainType(GrainKinds.Research)]
[Orleans.Providers.StorageProvider(ProviderName = RoomStorage.Name)]
[Orleans.Placement.PreferLocalPlacement]
internal sealed partial class ResearchSessionGrain : RoomGrain<ResearchSessionGrainState>, IResearchSessionGrain
{
    public ResearchSessionGrain(GrainServices services)
        : base(services)
    {
    }

    protected override string Kind => GrainKinds.Research;

    public async Task<ResearchSessionSnapshot> ScheduleAsync(RoomCaller caller, ResearchSessionDefinition definition)
    {
        Check(caller);
        if (caller.Role is not (RoomRole.Observer or RoomRole.Admin or RoomRole.System))
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only a researcher or an administrator schedules a research session.");
        }
        if (State.Status is ResearchSessionState.Live or ResearchSessionState.Ended)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidState, "The session has already started.");
        }
        if (State.Definition is { } existing && existing.Host.Id != caller.PrincipalId && caller.Role != RoomRole.Admin && caller.Role != RoomRole.System)
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only the host or an administrator reschedules the session.");
        }
        if (definition is null || definition.Host is null || string.IsNullOrWhiteSpace(definition.Host.Id) || definition.Invited is null
            || string.IsNullOrWhiteSpace(definition.Title) || definition.Title.Length > 200 || definition.DurationMinutes is < 10 or > 480
            || definition.Invited.Count > 500 || definition.Invited.Any(p => p is null || string.IsNullOrWhiteSpace(p.Id)))
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "A session needs a title (1–200), a host, 10–480 minutes and at most 500 invited people.");
        }
        State.Definition = definition;
        State.Status = ResearchSessionState.Scheduled;
        return await ChangedAsync(ResearchEventTypes.SessionScheduled);
    }

    public async Task<ResearchSessionSnapshot> StartAsync(RoomCaller caller)
    {
        RequireHost(caller);
        if (State.Status != ResearchSessionState.Scheduled)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidState, $"The session is {State.Status}.");
        }
        var rules = State.Live is null ? null : Rules();
        rules?.Start(PersonId(caller));
        State.Status = ResearchSessionState.Live;
        State.StartedAt = Time.GetUtcNow();
        EmitLive(rules);
        var started = await ChangedAsync(ResearchEventTypes.SessionStarted);
        await SetReminderAsync(on: true);
        return started;
    }

    public async Task<ResearchSessionSnapshot> EndAsync(RoomCaller caller)
    {
        RequireHost(caller);
        if (State.Status != ResearchSessionState.Live)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidState, $"The session is {State.Status}.");
        }
        var rules = State.Live is null ? null : Rules();
        var peers = rules?.Peers() ?? new Dictionary<Guid, string>();
        rules?.End(PersonId(caller));
        State.Status = ResearchSessionState.Ended;
        State.EndedAt = Time.GetUtcNow();
        State.Present.Clear();
        EmitLive(rules);
        var snapshot = await ChangedAsync(ResearchEventTypes.SessionEnded);
        await SetReminderAsync(on: false);
        await SyncMediaAsync(rules, peers);
        return snapshot;
    }

    public async Task<ResearchSessionSnapshot> JoinAsync(RoomCaller caller)
    {
        var d = RequireDefinition(caller);
        if (d.Host.Id != caller.PrincipalId && !d.Invited.Any(p => p.Id == caller.PrincipalId))
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "You are not invited to this session.");
        }
        if (State.Status == ResearchSessionState.Ended)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidState, "The session has ended.");
        }
        if (State.Live is not null)
        {
            var rules = Rules();
            rules.Join(PersonId(caller), caller.DisplayName, ResearchRoles.Participant, "grain");
            EmitLive(rules);
        }
        if (State.Present.Contains(caller.PrincipalId))
        {
            await CommitAsync();
            return Snapshot();
        }
        State.Present.Add(caller.PrincipalId);
        return await ChangedAsync(ResearchEventTypes.ParticipantJoined);
    }

    public async Task LeaveAsync(RoomCaller caller)
    {
        RequireDefinition(caller);
        var rules = State.Live is null ? null : Rules();
        var peers = rules?.Peers() ?? new Dictionary<Guid, string>();
        if (rules is not null)
        {
            rules.Leave(PersonId(caller));
            EmitLive(rules);
        }
        if (State.Present.Remove(caller.PrincipalId))
        {
            await ChangedAsync(ResearchEventTypes.ParticipantLeft);
        }
        else
        {
            await CommitAsync();
        }
        await SyncMediaAsync(rules, peers);
    }

    public Task<ResearchSessionSnapshot> GetSnapshotAsync(RoomCaller caller)
    {
        RequireDefinition(caller);
        return Task.FromResult(Snapshot());
    }

    private async Task<ResearchSessionSnapshot> ChangedAsync(string type)
    {
        Emit(type, Snapshot(State.Sequence + 1));
        await CommitAsync();
        return Snapshot();
    }

    private static void Check(RoomCaller? caller)
    {
        if (caller is null || string.IsNullOrWhiteSpace(caller.PrincipalId))
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "The caller has no identity.");
        }
    }

    private ResearchSessionDefinition RequireDefinition(RoomCaller caller)
    {
        Check(caller);
        return State.Definition ?? throw new RoomRuleException(RoomErrorCode.NotFound, "No such research session.");
    }

    private void RequireHost(RoomCaller caller)
    {
        if (RequireDefinition(caller).Host.Id != caller.PrincipalId)
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only the host can do this.");
        }
    }

    private ResearchSessionSnapshot Snapshot(long? sequence = null) =>
        new(Key.Id, State.Status, State.Definition, [.. State.Present], State.StartedAt, State.EndedAt, sequence ?? State.Sequence);

    private static ResearchSessionDefinition DefinitionFrom(ResearchLiveSetup setup) =>
        new(setup.Title, new PersonRef(setup.HostId.ToString(), setup.HostName), setup.ScheduledStart,
            Math.Clamp(setup.Agenda.Sum(s => s.PlannedSeconds) / 60, 10, 480), []);
}
