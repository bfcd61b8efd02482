using LiveClassroom.Grains.Rooms;
using LiveClassroom.Grains.Pairing;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// One live class. NotSetUp → Scheduled (SetupAsync) → Live (OpenAsync) → Ended (EndAsync); Ended refuses mutations.
/// Every rule is checked before anything changes, so a refused call leaves the class untouched.
/// </summary>
[GrainType(GrainKinds.Classroom)]
[Orleans.Providers.StorageProvider(ProviderName = RoomStorage.Name)]
[Orleans.Placement.PreferLocalPlacement]
internal sealed partial class ClassroomGrain : RoomGrain<ClassroomGrainState>, IClassroomGrain
{
    public ClassroomGrain(
        GrainServices services,
        [PersistentState(RoomStorage.ChatSection, RoomStorage.Name)] IPersistentState<ClassroomChatState> chatHistory,
        [PersistentState(RoomStorage.MediaSection, RoomStorage.Name)] IPersistentState<ClassroomMediaLog> mediaLog)
        : base(services)
    {
        _chatHistory = chatHistory;
        _mediaLog = mediaLog;
    }

    /// <summary>How often an active class checks for reconnect graces run out (the grace itself is a rule setting).</summary>
    private static readonly TimeSpan ReconnectCheckPeriod = TimeSpan.FromSeconds(1);

    protected override string Kind => GrainKinds.Classroom;

    protected override async Task OnActivateAsync()
    {
        LoadMediaLog();
        LoadChat();
        if (State.Chat.Count >= ChatFlushThreshold)
        {
            // A long log (a state written by the version that kept the whole history in it): written apart now, so the
            // next events do not carry it.
            await FlushChatAsync();
        }
        // Media connections do not survive an activation (the SFU room may be on another node now): whoever was
        // connected is reconnecting until it joins again, and keeps its place meanwhile. They were lost when the
        // previous node was last known alive, not now: the time the cluster took to notice is no presence.
        var connected = State.Participants.Where(p => p.Connection == ConnectionState.Connected).ToList();
        ArmLeadFirst(connected);
        if (connected.Count > 0)
        {
            var lost = await ConnectionsLostAtAsync();
            foreach (var p in connected)
            {
                p.Connection = ConnectionState.Reconnecting;
                p.DisconnectedAt = lost;
                p.PeerId = null;
                UpdatePresence(p.ClassroomId, lost);
                Emit(ClassEventTypes.ConnectionChanged, View(p));
            }
            await CommitAsync();
        }
        if (State.Participants.Any(p => p.Connection == ConnectionState.Reconnecting))
        {
            EnsureTicking(ReconnectCheckPeriod);
        }
        if (State.Status == ClassState.Live)
        {
            await TryMediaAsync("open room", m => m.OpenRoomAsync(Key.Id));
            await ReportLiveActivationAsync();
        }
    }

    /// <summary>A live class with people in it stays, however quiet: its clients would not know it had gone.</summary>
    internal override bool KeepAlive =>
        State.Status == ClassState.Live && State.Participants.Exists(p => p.Connection != ConnectionState.Left);

    public async Task<ClassSnapshot> SetupAsync(RoomCaller caller, ClassSetup setup)
    {
        CheckCaller(caller);
        if (caller.Role is not (RoomRole.System or RoomRole.Admin))
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only an administrator can set up a class.");
        }
        if (State.Status is ClassState.Live or ClassState.Ended)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidState, $"The class is {State.Status} and can no longer be set up.");
        }
        ValidateSetup(setup);
        State.Setup = setup;
        State.Status = ClassState.Scheduled;
        var ids = new[] { setup.LeadClassroom }.Concat(setup.RuralClassrooms).ToList();
        var old = State.Classrooms.ToDictionary(c => c.Id);
        State.Classrooms = [.. ids.Select((c, i) => old.TryGetValue(c.Id, out var kept)
            ? Reset(kept, c, i)
            : new ClassroomRecord { Id = c.Id, Name = c.Name, SchoolName = c.SchoolName, IsLead = i == 0, Tile = i })];
        State.StageSeats = [.. Enumerable.Repeat<string?>(null, setup.MaxOnStage)];
        State.HandQueue.RemoveAll(id => !ids.Any(c => c.Id == id));
        Emit(ClassEventTypes.ClassScheduled, Snapshot() with { Sequence = State.Sequence + 1 });
        await CommitAsync();
        return Snapshot();

        static ClassroomRecord Reset(ClassroomRecord r, ClassroomRef c, int tile)
        {
            r.Name = c.Name;
            r.SchoolName = c.SchoolName;
            r.Tile = tile;
            r.IsLead = tile == 0;
            return r;
        }
    }

    public async Task<ClassSnapshot> OpenAsync(RoomCaller caller)
    {
        RequireLead(caller);
        if (State.Status == ClassState.Live)
        {
            return Snapshot();
        }
        RequireMutable();
        State.Status = ClassState.Live;
        State.OpenedAt = Time.GetUtcNow();
        Emit(ClassEventTypes.ClassOpened, new ClassStateChanged(ClassState.Live, State.OpenedAt.Value));
        await CommitAsync();
        await SetReminderAsync(on: true);
        await TryMediaAsync("open room", m => m.OpenRoomAsync(Key.Id));
        await RouteAllAsync();
        return Snapshot();
    }

    public async Task<ClassSnapshot> EndAsync(RoomCaller caller)
    {
        RequireLead(caller);
        RequireLive();
        var now = Time.GetUtcNow();
        State.Status = ClassState.Ended;
        State.EndedAt = now;
        foreach (var c in State.Classrooms)
        {
            ClosePresence(c, now);
        }
        Emit(ClassEventTypes.ClassEnded, new ClassStateChanged(ClassState.Ended, now));
        await CommitAsync();
        StopTicking();
        await SetReminderAsync(on: false);
        _routes.Clear();
        await TryMediaAsync("close room", m => m.CloseRoomAsync(Key.Id));
        await CloseEdgesAsync();
        return Snapshot();
    }

    public async Task<ClassSnapshot> JoinAsync(RoomCaller caller)
    {
        var role = Admit(caller);
        RequireMutable();
        var now = Time.GetUtcNow();
        var p = State.Participants.Find(x => x.PrincipalId == caller.PrincipalId);
        if (p is null)
        {
            p = new ParticipantRecord { PrincipalId = caller.PrincipalId };
            State.Participants.Add(p);
        }
        else if (p.Connection == ConnectionState.Connected && p.ClassroomId == ClassroomOf(caller, role))
        {
            // A second join on the same connection state (e.g. a client retry): nothing changes.
            return SnapshotFor(caller, role);
        }
        p.DisplayName = Bounded(caller.DisplayName, 100);
        p.Role = role;
        p.Kind = caller.Kind;
        var previousClassroom = p.ClassroomId;
        p.ClassroomId = ClassroomOf(caller, role);
        p.Connection = ConnectionState.Connected;
        p.DisconnectedAt = null;
        if (previousClassroom is not null && previousClassroom != p.ClassroomId)
        {
            UpdatePresence(previousClassroom, now);
        }
        UpdatePresence(p.ClassroomId, now);
        Emit(ClassEventTypes.ParticipantJoined, View(p));
        if (IsLeadClassroom(p))
        {
            LeadJoined();
        }
        await CommitAsync();
        return SnapshotFor(caller, role);
    }

    public async Task LeaveAsync(RoomCaller caller)
    {
        Admit(caller);
        RequireMutable();
        var p = RequireJoined(caller);
        await DisconnectAsync(p, ConnectionState.Left);
    }

    public async Task ConnectionLostAsync(string principalId)
    {
        var p = State.Participants.Find(x => x.PrincipalId == principalId);
        if (p is null || p.Connection != ConnectionState.Connected || State.Status != ClassState.Live && State.Status != ClassState.Scheduled)
        {
            return;
        }
        await DisconnectAsync(p, ConnectionState.Reconnecting);
        EnsureTicking(ReconnectCheckPeriod);
    }

    public Task<ClassSnapshot> GetSnapshotAsync(RoomCaller caller)
    {
        // The server itself may read any class (e.g. to work out who belongs to it before admitting a caller).
        if (caller?.Role == RoomRole.System)
        {
            _ = State.Setup ?? throw new RoomRuleException(RoomErrorCode.NotFound, "No such class.");
        }
        else
        {
            Admit(caller!);
        }
        return Task.FromResult(Snapshot());
    }

    private async Task DisconnectAsync(ParticipantRecord p, ConnectionState to)
    {
        var now = Time.GetUtcNow();
        p.Connection = to;
        p.DisconnectedAt = to == ConnectionState.Reconnecting ? now : null;
        var peer = p.PeerId;
        if (to == ConnectionState.Left)
        {
            p.PeerId = null;
        }
        UpdatePresence(p.ClassroomId, now);
        Emit(ClassEventTypes.ConnectionChanged, View(p));
        if (to == ConnectionState.Left && p.ClassroomId is { } classroomId && !HasMember(classroomId))
        {
            // The classroom is gone for good: its hand and stage seat would otherwise wait forever.
            if (State.HandQueue.Remove(classroomId))
            {
                Emit(ClassEventTypes.HandQueueChanged, new HandQueueChanged([.. State.HandQueue], classroomId, "left"));
            }
            var seat = State.StageSeats.IndexOf(classroomId);
            if (seat >= 0)
            {
                State.StageSeats[seat] = null;
                Emit(ClassEventTypes.StageChanged, StageNow());
            }
        }
        await CommitAsync();
        // Joins interleave: the participant may have joined again during the write, and its new peer has the same id.
        if (to == ConnectionState.Left && peer is not null && p.Connection == ConnectionState.Left)
        {
            _routes.Forget(peer);
            _holders.Forget(peer);
            await TryMediaForAsync("remove peer", peer, m => m.RemovePeerAsync(Key.Id, peer));
        }
        await RouteAllAsync();
    }

    protected override async Task OnTickAsync()
    {
        await ExpireReconnectsAsync();
        if (_edges.Count > 0)
        {
            // Edges: a route sent before a relayed publisher reached its edge is sent again; a lost edge is let go.
            await RouteAllAsync(checkEdges: true);
        }
        if (!State.Participants.Exists(p => p.Connection == ConnectionState.Reconnecting) && _edges.Count == 0)
        {
            StopTicking();
        }
    }

    private async Task ExpireReconnectsAsync()
    {
        if (State.Status is not (ClassState.Scheduled or ClassState.Live))
        {
            return;
        }
        var now = Time.GetUtcNow();
        var expired = State.Participants
            .Where(p => p.Connection == ConnectionState.Reconnecting && p.DisconnectedAt + Options.ReconnectGrace <= now)
            .ToList();
        foreach (var p in expired)
        {
            // Joins interleave with the writes below: one that came back meanwhile is no longer expired.
            if (p.Connection == ConnectionState.Reconnecting && p.DisconnectedAt + Options.ReconnectGrace <= now)
            {
                await DisconnectAsync(p, ConnectionState.Left);
            }
        }
    }

    private bool HasMember(string classroomId) =>
        State.Participants.Exists(p => p.ClassroomId == classroomId && p.Connection != ConnectionState.Left);
}
