using System.Diagnostics;
using System.Globalization;
using LiveClassroom.Grains.Cascade;
using LiveClassroom.Grains.Rooms;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Media: which publisher track feeds which receive slot of every participant (<see cref="MediaRoutes"/> sends only
/// the slots a change moves).
/// </summary>
internal sealed partial class ClassroomGrain
{
    private const int MaxReceiveSlots = 32;
    private readonly MediaRoutes _routes = new();

    /// <summary>One negotiation per participant at a time (a page retrying while its first offer is still placed waits for it).</summary>
    private readonly Dictionary<string, Task> _negotiating = new(StringComparer.Ordinal);
    private readonly MediaHolders _holders = new();

    public async Task<MediaAnswer> ConnectMediaAsync(RoomCaller caller, MediaOffer offer)
    {
        var role = Admit(caller);
        RequireLive();
        var p = RequireConnected(caller);
        ValidateOffer(offer, role);
        var peerId = p.PrincipalId;
        var arrived = Stopwatch.GetTimestamp();
        var inFlight = _negotiationsInFlight++;
        var since = _offersSinceActivation++;
        var opensLeadFirst = OpensLeadFirst(p, offer);
        var before = _negotiating.GetValueOrDefault(peerId);
        var mine = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _negotiating[peerId] = mine.Task;
        try
        {
            var waited = await WaitForLeadAsync(p);
            if (before is not null)
            {
                await before;
                waited = true;
            }
            if (waited)
            {
                // Interleaved: the class or the participant may have changed while this offer waited.
                RequireLive();
                p = RequireConnected(caller);
            }
            var answer = await NegotiateNowAsync(p, peerId, offer, opensLeadFirst ? (arrived, inFlight, since) : null);
            // Still this peer's only negotiation: the holders change in the order the negotiations did, on any node.
            return answer with { PreviousHolder = _holders.Take(peerId, offer.Holder), HolderSequence = _holders.NextSequence(Time.GetUtcNow()) };
        }
        finally
        {
            _negotiationsInFlight--;
            if (opensLeadFirst)
            {
                LeadNegotiated();
            }
            mine.SetResult();
            if (_negotiating.GetValueOrDefault(peerId) == mine.Task)
            {
                _negotiating.Remove(peerId);
            }
        }
    }

    private ParticipantRecord RequireConnected(RoomCaller caller)
    {
        var p = RequireJoined(caller);
        if (p.Connection != ConnectionState.Connected)
        {
            throw new RoomRuleException(RoomErrorCode.NotJoined, "Join the class again before connecting media.");
        }
        return p;
    }

    private async Task<MediaAnswer> NegotiateNowAsync(ParticipantRecord p, string peerId, MediaOffer offer,
        (long Arrived, int InFlight, int Before)? lead)
    {
        var started = Stopwatch.GetTimestamp();
        // The class's events as the placement knows them: a node a MediaNodeLost numbered up to here declared lost is
        // left out (IsLost is set before the event is emitted), so such an event never concerns this answer's peer; one
        // emitted from here on (its node lost while this offer is placed, negotiated or written) is numbered above it.
        var asOf = State.Sequence;
        string answer;
        try
        {
            answer = await NegotiatePlacedAsync(p, peerId, offer);
        }
        catch (MediaOfferRefusedException ex)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, $"The media offer exceeds a limit: {ex.Message}");
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, $"The SDP offer was refused: {ex.Message}");
        }
        catch (Exception ex) when (ex is not (RoomRuleException or MediaRefusedException or OperationCanceledException))
        {
            throw new GrainUnavailableException($"The media server could not take the offer: {ex.Message}", ex);
        }
        if (State.Status != ClassState.Live || p.Connection != ConnectionState.Connected)
        {
            // Ended or left while the offer was negotiated (calls interleave here): the new peer is not kept.
            await TryMediaForAsync("remove late peer", peerId, m => m.RemovePeerAsync(Key.Id, peerId));
            RequireLive();
            throw new RoomRuleException(RoomErrorCode.NotJoined, "Join the class again before connecting media.");
        }
        var negotiated = Stopwatch.GetTimestamp();
        // Shown before (its tracks fed others' slots and the edges' feeds) or now: its routing is everybody's.
        var feedsOthers = ShownPublishers().Contains(peerId);
        p.PeerId = peerId;
        p.Publish = offer.Publish;
        p.Slots = [.. offer.ReceiveSlots];
        Emit(ClassEventTypes.MediaChanged, View(p));
        var shown = feedsOthers || ShownPublishers().Contains(peerId);
        var committing = Stopwatch.GetTimestamp();
        var commit = CommittedAsync(p.PrincipalId, committing);
        if (!shown)
        {
            // Only its own slots, on its own node: routed while the write is stored (routes are the SFU's, not the class's
            // state; the answer still waits for the write). After the write, a negotiation of a mass rejoin waited for
            // the grain's turn behind the others the same write released (1.5 s at 200 at load 50), then again for its
            // route calls' replies; now the grain routes while it waits for PostgreSQL, and after the write only answers.
            var own = RouteNewPeerAsync(p, peerId, shown: false);
            await Task.WhenAll(commit, own);
        }
        else
        {
            await commit;
        }
        var routing = Stopwatch.GetTimestamp();
        if (shown)
        {
            await RouteNewPeerAsync(p, peerId, shown: true);
        }
        var routed = Stopwatch.GetTimestamp();
        ClassroomMeters.Record("all", started);
        if (lead is { } l)
        {
            LogLeadOffer(l.Arrived, l.InFlight, l.Before, started, negotiated, routing, routed);
        }
        // Where the peer's media is: an edge it was placed on, else this grain's node (whose SFU Services.Media is).
        return new MediaAnswer(answer, peerId, _placed.GetValueOrDefault(peerId) ?? ThisNode, EventSequence: asOf);
    }

    /// <summary>The negotiation's write (the media log and its events): done when stored and handed on.</summary>
    private async Task CommittedAsync(string principalId, long since)
    {
        await CommitMediaAsync([principalId]);
        // From its write's end until this negotiation had the grain's turn again (behind the others interleaved).
        ClassroomMeters.Record("commit.resume", Math.Max(since, LastWriteEndedAt));
        ClassroomMeters.Record("commit", since);
    }

    /// <summary>A new peer's routes: its old routes forgotten (a new peer has none), a classroom the lead muted muted again, then routed.</summary>
    private async Task RouteNewPeerAsync(ParticipantRecord p, string peerId, bool shown)
    {
        var routing = Stopwatch.GetTimestamp();
        _routes.Forget(peerId);
        if (State.Classrooms.Find(c => c.Id == p.ClassroomId) is { MutedByLead: true })
        {
            await TryMediaForAsync("mute", peerId, m => m.SetPublisherAudioMutedAsync(Key.Id, peerId, true));
        }
        await RouteNegotiatedAsync(p, shown);
        ClassroomMeters.Record("route", routing);
    }

    public async Task<IReadOnlyList<ParticipantLink>> GetLinksAsync(RoomCaller caller)
    {
        // The lead (console tiles) and the admins the server has found responsible for the class (network dashboard).
        if (caller is { Role: RoomRole.Admin })
        {
            Admit(caller);
        }
        else
        {
            RequireLead(caller);
        }
        if (State.Status != ClassState.Live)
        {
            return [];
        }
        var byNode = await LinkStatsByNodeAsync();
        var origin = Services.Cascade?.NodeId ?? "";
        var links = new List<ParticipantLink>();
        foreach (var p in State.Participants)
        {
            // Each peer as the node its page is connected to measures it (a stand-in elsewhere is not its link).
            if (p.Connection == ConnectionState.Connected && p.PeerId is { } peer
                && byNode.TryGetValue(MediaTopologyRules.LinkNode(origin, _placed, peer), out var byPeer) && byPeer.TryGetValue(peer, out var media))
            {
                links.Add(new ParticipantLink(p.PrincipalId, p.Role, p.ClassroomId, media));
            }
        }
        return links;
    }

    public async Task ReportStatsAsync(IReadOnlyList<ParticipantStats> stats)
    {
        if (stats is null || State.Status != ClassState.Live)
        {
            return;
        }
        var accepted = new List<ParticipantStats>();
        foreach (var s in stats)
        {
            if (s is not null && State.Participants.Find(p => p.PrincipalId == s.PrincipalId) is { } p)
            {
                p.Stats = s;
                accepted.Add(s);
            }
        }
        if (accepted.Count > 0)
        {
            Emit(ClassEventTypes.StatsChanged, new StatsChanged(accepted));
            await CommitMediaAsync(accepted.Select(s => s.PrincipalId));
        }
    }

    private void ValidateOffer(MediaOffer? offer, RoomRole role)
    {
        if (offer is null || string.IsNullOrWhiteSpace(offer.SdpOffer) || offer.Publish is null || offer.ReceiveSlots is null)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "A media offer needs an SDP offer, its publish mids and its receive slots.");
        }
        var publishes = offer.Publish.CameraMid ?? offer.Publish.MicrophoneMid ?? offer.Publish.ScreenMid;
        if (role == RoomRole.Observer && publishes is not null)
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Observers receive only.");
        }
        if (role != RoomRole.Lead && offer.Publish.ScreenMid is not null)
        {
            throw new RoomRuleException(RoomErrorCode.Forbidden, "Only the lead shares a screen.");
        }
        if (offer.ReceiveSlots.Count > MaxReceiveSlots)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, $"At most {MaxReceiveSlots} receive slots.");
        }
        var mids = new HashSet<string>(StringComparer.Ordinal);
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var mid in new[] { offer.Publish.CameraMid, offer.Publish.MicrophoneMid, offer.Publish.ScreenMid }.OfType<string>())
        {
            if (mid.Length is 0 or > 32 || !mids.Add(mid))
            {
                throw new RoomRuleException(RoomErrorCode.InvalidInput, "Each mid must be 1 to 32 characters and used once.");
            }
        }
        foreach (var slot in offer.ReceiveSlots)
        {
            if (slot is null || string.IsNullOrEmpty(slot.Mid) || slot.Mid.Length > 32 || !mids.Add(slot.Mid))
            {
                throw new RoomRuleException(RoomErrorCode.InvalidInput, "Each mid must be 1 to 32 characters and used once.");
            }
            if (!IsKnownSlot(slot.Name) || !names.Add(slot.Name))
            {
                throw new RoomRuleException(RoomErrorCode.InvalidInput, $"Unknown or repeated receive slot '{slot.Name}'.");
            }
        }
    }

    private bool IsKnownSlot(string? name) =>
        name is "main" or "main-audio" or "screen" || (StageSlot(name) is { Seat: var seat } && seat <= State.StageSeats.Count);

    /// <summary>Parses <c>stage{n}</c> / <c>stage{n}-audio</c>.</summary>
    private static (int Seat, bool Audio)? StageSlot(string? name)
    {
        if (name is null || !name.StartsWith("stage", StringComparison.Ordinal))
        {
            return null;
        }
        var audio = name.EndsWith("-audio", StringComparison.Ordinal);
        var digits = name[5..(audio ? name.Length - 6 : name.Length)];
        return int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var seat) && seat >= 1 ? (seat, audio) : null;
    }

    /// <summary>
    /// Routes what a negotiation changed. A peer no slot shows (most classrooms) changed only its own slots: they are
    /// sent now, to its own node, and the negotiation does not wait for a routing pass — a pass walks every participant,
    /// keeps the edges' feeds and awaits every route it sends, on every node, including those of the other offers that
    /// ended meanwhile (after an edge is lost, hundreds of them). A shown publisher (the lead, a stage classroom) changed
    /// other participants' slots and the edges' feeds: it waits for a pass, as before.
    /// </summary>
    private async Task RouteNegotiatedAsync(ParticipantRecord p, bool feedsOthers)
    {
        if (feedsOthers)
        {
            await RouteAllAsync();
            return;
        }
        if (p.Connection != ConnectionState.Connected || p.PeerId is not { } peer)
        {
            // Left (or moved off a lost node) during the write: nothing of it to route.
            return;
        }
        var owned = Stopwatch.GetTimestamp();
        var sends = new List<Task>();
        foreach (var slot in p.Slots.ToList())
        {
            var send = _routes.SetAsync(peer, slot.Mid, SourceFor(slot.Name), source => SendRouteAsync(peer, slot.Mid, source));
            if (!send.IsCompleted)
            {
                sends.Add(send);
            }
        }
        await Task.WhenAll(sends);
        ClassroomMeters.Record("route.own", owned);
    }

    private Task? _router;
    private TaskCompletionSource? _nextRoute;
    private bool _nextRouteChecksEdges;
    private List<long> _nextRouteAsked = [];

    /// <summary>
    /// Points every connected participant's slots at their sources, sending only the routes that change (and keeps the
    /// edges' feeds on them; <paramref name="checkEdges"/>: also lets go of edges whose node is lost). Passes never
    /// overlap: one asked for during a pass is done by the next pass, which covers every change made meanwhile, so many
    /// negotiations finishing together share a pass. Completes when a pass that began after this call has ended.
    /// </summary>
    private Task RouteAllAsync(bool checkEdges = false)
    {
        var done = _nextRoute ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _nextRouteChecksEdges |= checkEdges;
        _nextRouteAsked.Add(Stopwatch.GetTimestamp());
        if (_router is null || _router.IsCompleted)
        {
            _router = RouteLoopAsync();
        }
        return done.Task;
    }

    private async Task RouteLoopAsync()
    {
        while (_nextRoute is { } done)
        {
            _nextRoute = null;
            var checkEdges = _nextRouteChecksEdges;
            _nextRouteChecksEdges = false;
            var asked = _nextRouteAsked;
            _nextRouteAsked = [];
            foreach (var at in asked)
            {
                ClassroomMeters.Record("pass.queue", at);
            }
            try
            {
                await RoutePassAsync(checkEdges);
                done.TrySetResult();
            }
            catch (Exception ex)
            {
                done.TrySetException(ex);
            }
        }
    }

    private async Task RoutePassAsync(bool checkEdges)
    {
        if (State.Status != ClassState.Live)
        {
            return;
        }
        var started = Stopwatch.GetTimestamp();
        await MaintainEdgesAsync(checkEdges);
        var sending = ClassroomMeters.Record("pass.edges", started);
        // The slots' routes are independent of each other: the changed ones are sent side by side (after an edge is lost,
        // hundreds of moved classrooms' slots on their new nodes).
        // Each slot name's source once per pass: looked up per slot it made the walk participants × slots × participants
        // (98 ms per pass, on the grain's turn, with 600 classrooms at load 60). Nothing changes it during the walk.
        var sources = new Dictionary<string, MediaSource?>(StringComparer.Ordinal);
        var sends = new List<Task>();
        foreach (var sub in State.Participants.Where(p => p.Connection == ConnectionState.Connected && p.PeerId is not null).ToList())
        {
            var peer = sub.PeerId!;
            foreach (var slot in sub.Slots.ToList())
            {
                if (!sources.TryGetValue(slot.Name, out var source))
                {
                    sources[slot.Name] = source = SourceFor(slot.Name);
                }
                var send = _routes.SetAsync(peer, slot.Mid, source, s => SendRouteAsync(peer, slot.Mid, s));
                if (!send.IsCompleted)
                {
                    sends.Add(send);
                }
            }
        }
        var walked = ClassroomMeters.Record("pass.walk", sending);
        await Task.WhenAll(sends);
        ClassroomMeters.Record("pass.sends", walked);
        ClassroomMeters.Record("pass", started);
    }

    /// <summary>One route to the node the subscriber's media is on (counted by node and result).</summary>
    private async Task<bool> SendRouteAsync(string peer, string mid, MediaSource? source)
    {
        var edge = _placed.TryGetValue(peer, out var node) && Services.Cascade is { } cascade && node != cascade.NodeId;
        if (edge && IsLost(node!))
        {
            // Its node is taken for dead: the call would wait out Orleans' response timeout. The peer moves anyway.
            ClassroomMeters.Routed(edge, "skipped");
            return false;
        }
        var sent = await TryMediaForAsync("route", peer, m => m.RouteAsync(Key.Id, peer, mid, source));
        ClassroomMeters.Routed(edge, sent ? "sent" : "failed");
        return sent;
    }

    private MediaSource? SourceFor(string slotName)
    {
        if (slotName is "main" or "main-audio" or "screen")
        {
            var lead = Publisher(State.Setup!.LeadClassroom.Id, preferPerson: true);
            var mid = slotName switch
            {
                "main" => lead?.Publish?.CameraMid,
                "main-audio" => lead?.Publish?.MicrophoneMid,
                _ => lead?.Publish?.ScreenMid,
            };
            return mid is null ? null : new MediaSource(lead!.PeerId!, mid);
        }
        if (StageSlot(slotName) is not { } stage || stage.Seat > State.StageSeats.Count || State.StageSeats[stage.Seat - 1] is not { } classroomId)
        {
            return null;
        }
        var publisher = Publisher(classroomId, preferPerson: false);
        var stageMid = stage.Audio ? publisher?.Publish?.MicrophoneMid : publisher?.Publish?.CameraMid;
        return stageMid is null ? null : new MediaSource(publisher!.PeerId!, stageMid);
    }

    /// <summary>
    /// The participant whose camera stands for a classroom: for the lead, the lead teacher's own device first;
    /// for a rural classroom, its projector PC (device) first, which films the whole room.
    /// </summary>
    private ParticipantRecord? Publisher(string classroomId, bool preferPerson)
    {
        ParticipantRecord? best = null;
        foreach (var p in State.Participants)
        {
            if (p.ClassroomId != classroomId || p.Connection != ConnectionState.Connected || p.PeerId is null || p.Publish is null)
            {
                continue;
            }
            var preferred = (p.Kind == PrincipalKind.Person) == preferPerson;
            if (best is null || (preferred && (best.Kind == PrincipalKind.Person) != preferPerson))
            {
                best = p;
            }
        }
        return best;
    }
}
