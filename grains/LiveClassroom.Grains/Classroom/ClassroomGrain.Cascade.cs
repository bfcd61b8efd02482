using System.Diagnostics;
using System.Security.Cryptography;
using LiveClassroom.Grains.Cascade;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// The class's media topology (cascade): which node each participant's media connects to, and which nodes carry the
/// class. The origin is this grain's node (where the lead publishes); classrooms go to other nodes when the origin is
/// full (<see cref="MediaTopologyRules"/>), each such node (an edge) fed by a relay link from the origin; an edge whose
/// classroom some slot shows (on stage) feeds it back to the origin over a second link (the reverse feed), from where
/// the teacher and the other edges get it. In memory:
/// a new activation starts from the origin alone, and the pages, which renegotiate after an activation, are placed again.
/// Without a cascade port, or with no capacity set, everything stays on this node.
/// </summary>
internal sealed partial class ClassroomGrain
{
    private readonly Dictionary<string, string> _placed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EdgeLink> _edges = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ReverseLink> _reverse = new(StringComparer.Ordinal);

    private sealed record EdgeLink(uint LinkId, byte[] Key, string RelayEndPoint);

    /// <summary>An edge's link back to the origin and the publishers it carries now.</summary>
    private sealed record ReverseLink(uint LinkId, byte[] Key)
    {
        public IReadOnlyList<string> Publishers { get; set; } = [];
    }

    private bool Cascading => Services.Cascade is { CapacitySubscribers: > 0 };

    /// <summary>The media plane of the node this peer's media is on.</summary>
    private IMediaControl MediaFor(string peerId) =>
        _placed.TryGetValue(peerId, out var node) && Services.Cascade is { } cascade && node != cascade.NodeId
            ? new NodeMediaControl(GrainFactory.GetGrain<IMediaNodeGrain>(node))
            : Services.Media;

    private Task<bool> TryMediaForAsync(string operation, string peerId, Func<IMediaControl, Task> call) =>
        TryMediaAsync(operation, _ => call(MediaFor(peerId)));

    /// <summary>Places the participant's media (opening an edge when needed) and negotiates there.</summary>
    private async Task<string> NegotiatePlacedAsync(ParticipantRecord p, string peerId, MediaOffer offer)
    {
        if (!Cascading)
        {
            return await Services.Media.NegotiateAsync(Key.Id, peerId, offer.SdpOffer, offer.Publish);
        }
        var cascade = Services.Cascade!;
        var placing = Stopwatch.GetTimestamp();
        var previous = _placed.GetValueOrDefault(peerId);
        var pinned = p.ClassroomId == State.Setup!.LeadClassroom.Id;
        string node;
        List<MediaNodeLoad> loads;
        var planned = TakePlan(cascade, peerId);
        if (!pinned && previous is null && planned is not null)
        {
            // Placed with the rest of its lost node's classrooms (PlanMoves): no loads asked.
            node = planned;
            loads = await CurrentLoadsAsync(cascade);
        }
        else
        {
            loads = await CurrentLoadsAsync(cascade);
            var carrying = new HashSet<string>(_edges.Keys, StringComparer.Ordinal) { cascade.NodeId };
            node = MediaTopologyRules.Place(cascade.NodeId, AsPlacedSince(loads), carrying, previous, pinnedToOrigin: pinned);
            if (node != previous)
            {
                _placedSince[node] = _placedSince.GetValueOrDefault(node) + 1;
            }
        }
        if (previous is not null && previous != node)
        {
            // Only on a node that answered: a call to a node that is going away would wait for Orleans' response timeout.
            if (loads.Exists(l => l.NodeId == previous))
            {
                await TryMediaForAsync("remove moved peer", peerId, m => m.RemovePeerAsync(Key.Id, peerId));
            }
            _routes.Forget(peerId);
        }
        _placed[peerId] = node;
        var negotiating = ClassroomMeters.Record("place", placing);
        string answer;
        if (node == cascade.NodeId)
        {
            answer = await Services.Media.NegotiateAsync(Key.Id, peerId, offer.SdpOffer, offer.Publish);
        }
        else
        {
            var relay = loads.Find(l => l.NodeId == node)?.RelayEndPoint ?? _edges.GetValueOrDefault(node)?.RelayEndPoint
                ?? throw new GrainUnavailableException($"The media node {node} is not reachable now.");
            await EnsureEdgeAsync(cascade, node, relay);
            negotiating = ClassroomMeters.Record("edge", negotiating);
            answer = await GrainFactory.GetGrain<IMediaNodeGrain>(node).NegotiateAsync(Key.Id, peerId, offer.SdpOffer, offer.Publish);
        }
        ClassroomMeters.Record("negotiate", negotiating);
        return answer;
    }

    /// <summary>How long a batch's placement (<see cref="PlanMoves"/>) waits for its classroom's offer.</summary>
    private static readonly TimeSpan PlanLifetime = TimeSpan.FromSeconds(60);

    /// <summary>How long the nodes' loads are reused, counting this grain's own placements since (a burst of offers asks once).</summary>
    private static readonly TimeSpan LoadsReuse = TimeSpan.FromSeconds(2);

    private readonly Dictionary<string, (string Node, DateTimeOffset At)> _plans = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _placedSince = new(StringComparer.Ordinal);
    private Task<List<MediaNodeLoad>>? _loads;
    private DateTimeOffset _loadsAt;

    /// <summary>The node a batch placed this participant on, if that plan still holds (fresh, node not lost).</summary>
    private string? TakePlan(IMediaCascade cascade, string peerId)
    {
        if (!_plans.Remove(peerId, out var plan) || Time.GetUtcNow() - plan.At > PlanLifetime || IsLost(plan.Node))
        {
            return null;
        }
        return plan.Node == cascade.NodeId || _edges.ContainsKey(plan.Node) || _edgeOpening.ContainsKey(plan.Node) ? plan.Node : null;
    }

    /// <summary>
    /// The live nodes' loads: asked at most every <see cref="LoadsReuse"/>, the offers arriving meanwhile sharing one
    /// asking; nodes since taken for lost left out.
    /// </summary>
    private async Task<List<MediaNodeLoad>> CurrentLoadsAsync(IMediaCascade cascade)
    {
        if (_loads is null || (_loads.IsCompleted && Time.GetUtcNow() - _loadsAt >= LoadsReuse) || _loads.IsFaulted)
        {
            _loadsAt = Time.GetUtcNow();
            _placedSince.Clear();
            _loads = LoadsAsync(cascade);
        }
        var loads = await _loads;
        return loads.FindAll(l => !IsLost(l.NodeId));
    }

    /// <summary>The loads as they are now: those asked, plus what this grain placed since and the batch places still awaited.</summary>
    private List<MediaNodeLoad> AsPlacedSince(List<MediaNodeLoad> loads)
    {
        var now = Time.GetUtcNow();
        var result = new List<MediaNodeLoad>(loads.Count);
        foreach (var l in loads)
        {
            var extra = _placedSince.GetValueOrDefault(l.NodeId);
            foreach (var plan in _plans.Values)
            {
                if (plan.Node == l.NodeId && now - plan.At <= PlanLifetime)
                {
                    extra++;
                }
            }
            result.Add(extra == 0 ? l : l with { Subscribers = l.Subscribers + extra });
        }
        return result;
    }

    /// <summary>
    /// A lost node's participants are placed together (<see cref="MediaTopologyRules.PlaceMany"/>) on the live nodes'
    /// loads asked now; their offers, which the <c>MediaNodeLost</c> event brings at once, then take their plan without
    /// asking the nodes again. Edges a plan needs begin opening now, so the offers find them open or opening.
    /// </summary>
    private async Task PlanMovesAsync(IMediaCascade cascade, IReadOnlyList<string> peers)
    {
        _loads = null;
        var loads = await CurrentLoadsAsync(cascade);
        var carrying = new HashSet<string>(_edges.Keys, StringComparer.Ordinal) { cascade.NodeId };
        var nodes = MediaTopologyRules.PlaceMany(cascade.NodeId, AsPlacedSince(loads), carrying, peers.Count);
        var now = Time.GetUtcNow();
        for (var i = 0; i < peers.Count; i++)
        {
            _plans[peers[i]] = (nodes[i], now);
        }
        foreach (var node in nodes.Distinct(StringComparer.Ordinal))
        {
            if (node != cascade.NodeId && loads.Find(l => l.NodeId == node) is { } load)
            {
                // Not awaited here: the pages are told first; their offers wait for the opening.
                _ = TryMediaAsync("open edge", _ => EnsureEdgeAsync(cascade, node, load.RelayEndPoint));
            }
        }
        RoomGrainLogCascade.MovesPlanned(Logger, peers.Count, string.Join(", ", nodes.GroupBy(n => n, StringComparer.Ordinal).Select(g => $"{g.Key}: {g.Count()}")));
    }

    /// <summary>
    /// Live nodes' loads, asked in parallel. A node that does not answer within <see cref="LoadTimeout"/> (one killed
    /// but not yet declared dead, or without a relay) takes no classrooms this time.
    /// </summary>
    private async Task<List<MediaNodeLoad>> LoadsAsync(IMediaCascade cascade)
    {
        var asked = new List<(string Node, Task<MediaNodeLoad> Load)>();
        foreach (var node in await LiveNodesAsync())
        {
            if (IsLost(node))
            {
                // Its relay went silent: dead, though the cluster may not have declared it yet. Not asked (that call would
                // wait out LoadTimeout).
                continue;
            }
            asked.Add((node, node == cascade.NodeId
                ? Task.FromResult(new MediaNodeLoad(node, cascade.Subscribers, cascade.CapacitySubscribers, cascade.RelayEndPoint))
                : GrainFactory.GetGrain<IMediaNodeGrain>(node).GetLoadAsync().WaitAsync(LoadTimeout)));
        }
        var loads = new List<MediaNodeLoad>();
        foreach (var (node, load) in asked)
        {
            try
            {
                loads.Add(await load);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RoomGrainLogCascade.NodeUnusable(Logger, ex, node);
            }
        }
        return loads;
    }

    private static readonly TimeSpan LoadTimeout = TimeSpan.FromSeconds(3);

    /// <summary>An edge whose relay link stays silent this long (eight heartbeats) is taken for dead.</summary>
    private static readonly TimeSpan EdgeSilenceLimit = TimeSpan.FromSeconds(2);

    /// <summary>A node taken for dead by its silence takes no classrooms for this long (a restarted node has a new id anyway).</summary>
    private static readonly TimeSpan LostNodeMemory = TimeSpan.FromMinutes(1);

    private readonly Dictionary<string, DateTimeOffset> _lostNodes = new(StringComparer.Ordinal);

    private bool IsLost(string node) => _lostNodes.TryGetValue(node, out var at) && Time.GetUtcNow() - at < LostNodeMemory;

    private async Task<List<string>> LiveNodesAsync()
    {
        var hosts = await GrainFactory.GetGrain<IManagementGrain>(0).GetHosts(onlyActive: true);
        return [.. hosts.Keys.Select(s => s.ToParsableString())];
    }

    /// <summary>Edges being opened now, by node: the offers placed there meanwhile wait for the same opening.</summary>
    private readonly Dictionary<string, Task> _edgeOpening = new(StringComparer.Ordinal);

    private Task EnsureEdgeAsync(IMediaCascade cascade, string node, string relayEndPoint)
    {
        if (_edges.ContainsKey(node))
        {
            return Task.CompletedTask;
        }
        if (_edgeOpening.TryGetValue(node, out var opening))
        {
            return opening;
        }
        var open = OpenEdgeAsync(cascade, node, relayEndPoint);
        if (!open.IsCompleted)
        {
            _edgeOpening[node] = open;
        }
        return open;
    }

    private async Task OpenEdgeAsync(IMediaCascade cascade, string node, string relayEndPoint)
    {
        try
        {
            var link = new EdgeLink(NewLinkId(), RandomNumberGenerator.GetBytes(16), relayEndPoint);
            var edge = GrainFactory.GetGrain<IMediaNodeGrain>(node);
            await edge.ReceiveAsync(Key.Id, link.LinkId, link.Key, cascade.RelayEndPoint);
            var fed = CurrentFeeds(cascade, [.. _edges.Keys, node]).Forward[node];
            cascade.Feed(Key.Id, link.LinkId, link.Key, relayEndPoint, fed);
            _edges[node] = link;
            EnsureTicking(ReconnectCheckPeriod);
            if (fed.Count > 0)
            {
                await edge.WaitForPeersAsync(Key.Id, fed);
            }
        }
        finally
        {
            _edgeOpening.Remove(node);
        }
    }

    private static uint NewLinkId() => (uint)RandomNumberGenerator.GetInt32(1, int.MaxValue);

    private CascadeFeeds CurrentFeeds(IMediaCascade cascade, IReadOnlyCollection<string> edges) =>
        MediaTopologyRules.Feeds(cascade.NodeId, edges, ShownPublishers(), _placed);

    /// <summary>Publishers whose tracks some slot shows, wherever they are: the lead's camera, microphone and screen, and the stage's.</summary>
    private List<string> ShownPublishers()
    {
        var shown = new List<string>();
        void Add(ParticipantRecord? p)
        {
            if (p?.PeerId is { } peer && !shown.Contains(peer))
            {
                shown.Add(peer);
            }
        }
        Add(Publisher(State.Setup!.LeadClassroom.Id, preferPerson: true));
        foreach (var seat in State.StageSeats)
        {
            if (seat is not null)
            {
                Add(Publisher(seat, preferPerson: false));
            }
        }
        return shown;
    }

    /// <summary>
    /// Opens, updates or closes each edge's reverse feed to what the rules say, before the forward feeds are updated:
    /// a publisher newly fed back is waited for (≤ 3 s) on the origin, so the routes to it that follow find it.
    /// A feed an edge refused is tried again on the next tick.
    /// </summary>
    private async Task MaintainReverseFeedsAsync(IMediaCascade cascade, CascadeFeeds feeds)
    {
        foreach (var (node, edge) in _edges.ToList())
        {
            var back = feeds.Reverse.GetValueOrDefault(node);
            _reverse.TryGetValue(node, out var open);
            if (back is null)
            {
                await CloseReverseAsync(cascade, node, tellEdge: true);
                continue;
            }
            if (open is not null && open.Publishers.SequenceEqual(back))
            {
                continue;
            }
            var fresh = open is null;
            open ??= new ReverseLink(NewLinkId(), RandomNumberGenerator.GetBytes(16));
            if (fresh)
            {
                cascade.Receive(Key.Id, open.LinkId, open.Key, edge.RelayEndPoint);
                _reverse[node] = open;
            }
            var link = open;
            var edgeNode = GrainFactory.GetGrain<IMediaNodeGrain>(node);
            if (!await TryMediaAsync("feed back", _ => edgeNode.FeedAsync(Key.Id, link.LinkId, link.Key, cascade.RelayEndPoint, back).WaitAsync(LoadTimeout)))
            {
                if (fresh)
                {
                    _reverse.Remove(node);
                    cascade.Close(link.LinkId);
                }
                continue;
            }
            var added = back.Where(p => !link.Publishers.Contains(p)).ToList();
            link.Publishers = back;
            if (added.Count > 0)
            {
                await TryMediaAsync("wait for fed-back peers", _ => GrainFactory.GetGrain<IMediaNodeGrain>(cascade.NodeId).WaitForPeersAsync(Key.Id, added));
                foreach (var peer in added)
                {
                    // Their stand-ins on the origin are new: the routes to them are sent again.
                    _routes.Forget(peer);
                }
            }
        }
    }

    /// <summary>Closes an edge's reverse feed: the origin's end now (its stand-ins leave the origin room), the edge's end if it is alive.</summary>
    private async Task CloseReverseAsync(IMediaCascade cascade, string node, bool tellEdge)
    {
        if (!_reverse.Remove(node, out var link))
        {
            return;
        }
        cascade.Close(link.LinkId);
        if (tellEdge)
        {
            await TryMediaAsync("close reverse feed", _ => GrainFactory.GetGrain<IMediaNodeGrain>(node).CloseLinkAsync(link.LinkId).WaitAsync(LoadTimeout));
        }
    }

    /// <summary>Keeps each edge's feed on the current publishers; closes edges nobody uses or whose node is gone.</summary>
    private async Task MaintainEdgesAsync(bool checkLiveness)
    {
        if (_edges.Count == 0 || Services.Cascade is not { } cascade)
        {
            return;
        }
        var feeds = CurrentFeeds(cascade, _edges.Keys);
        await MaintainReverseFeedsAsync(cascade, feeds);
        foreach (var (node, link) in _edges)
        {
            cascade.Feed(Key.Id, link.LinkId, link.Key, link.RelayEndPoint, feeds.Forward[node]);
        }
        if (!checkLiveness)
        {
            return;
        }
        var live = await LiveNodesAsync();
        foreach (var (node, link) in _edges)
        {
            if (cascade.Silence(link.LinkId) is { } silence && silence >= EdgeSilenceLimit)
            {
                _lostNodes[node] = Time.GetUtcNow();
                live.Remove(node);
                RoomGrainLogCascade.EdgeSilent(Logger, node, silence, _placed.Count(e => e.Value == node));
            }
        }
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in State.Participants)
        {
            if (p.Connection == ConnectionState.Connected && p.PeerId is { } peer && _placed.TryGetValue(peer, out var node))
            {
                used.Add(node);
            }
        }
        // Offers being negotiated and batch places still awaited keep their edges (calls interleave with this pass).
        foreach (var peer in _negotiating.Keys)
        {
            if (_placed.TryGetValue(peer, out var node))
            {
                used.Add(node);
            }
        }
        foreach (var plan in _plans.Values)
        {
            if (Time.GetUtcNow() - plan.At <= PlanLifetime)
            {
                used.Add(plan.Node);
            }
        }
        foreach (var node in MediaTopologyRules.EdgesToClose(_edges.Keys, used, live))
        {
            if (!_edges.Remove(node, out var link))
            {
                continue;
            }
            cascade.Close(link.LinkId);
            await CloseReverseAsync(cascade, node, tellEdge: live.Contains(node));
            if (live.Contains(node))
            {
                await TryMediaAsync("close edge", _ => GrainFactory.GetGrain<IMediaNodeGrain>(node).CloseLinkAsync(link.LinkId));
            }
            else
            {
                // The node is gone: its classrooms' pages are told to negotiate a new peer connection at once (they
                // would restart ICE by themselves only seconds later) and are placed on a live node.
                var moved = new List<string>();
                foreach (var peer in _placed.Where(e => e.Value == node).Select(e => e.Key).ToList())
                {
                    _placed.Remove(peer);
                    _routes.Forget(peer);
                    if (State.Participants.Find(p => p.PeerId == peer) is { } p)
                    {
                        p.PeerId = null;
                        moved.Add(p.PrincipalId);
                    }
                }
                foreach (var (peer, plan) in _plans.ToList())
                {
                    if (plan.Node == node)
                    {
                        _plans.Remove(peer);
                    }
                }
                if (moved.Count > 0)
                {
                    // Placed together now, written once, told in one event: their offers then come all at once.
                    await PlanMovesAsync(cascade, moved);
                    Emit(ClassEventTypes.MediaNodeLost, new MediaNodeLost(moved));
                    await CommitMediaAsync(moved);
                }
            }
        }
    }

    /// <summary>
    /// The SFU measurements of the class's peers on every node that carries it (this node and the edges, asked in
    /// parallel), by node. An edge that does not answer within <see cref="LoadTimeout"/> is left out this time.
    /// </summary>
    private async Task<Dictionary<string, Dictionary<string, PeerMediaStats>>> LinkStatsByNodeAsync()
    {
        var asked = new List<(string Node, Task<IReadOnlyList<PeerMediaStats>> Stats)> { (Services.Cascade?.NodeId ?? "", Services.Media.GetStatsAsync(Key.Id)) };
        foreach (var node in _edges.Keys)
        {
            asked.Add((node, GrainFactory.GetGrain<IMediaNodeGrain>(node).GetStatsAsync(Key.Id).WaitAsync(LoadTimeout)));
        }
        var result = new Dictionary<string, Dictionary<string, PeerMediaStats>>(StringComparer.Ordinal);
        foreach (var (node, stats) in asked)
        {
            try
            {
                var byPeer = new Dictionary<string, PeerMediaStats>(StringComparer.Ordinal);
                foreach (var s in await stats)
                {
                    byPeer[s.PeerId] = s;
                }
                result[node] = byPeer;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                RoomGrainLogCascade.NodeStatsMissing(Logger, ex, node);
            }
        }
        return result;
    }

    /// <summary>The class ended: every relay link closes at both ends (the edges' stand-ins leave their rooms).</summary>
    private async Task CloseEdgesAsync()
    {
        if (Services.Cascade is not { } cascade)
        {
            return;
        }
        foreach (var (node, link) in _edges.ToList())
        {
            cascade.Close(link.LinkId);
            await TryMediaAsync("close edge", _ => GrainFactory.GetGrain<IMediaNodeGrain>(node).CloseLinkAsync(link.LinkId).WaitAsync(LoadTimeout));
            await CloseReverseAsync(cascade, node, tellEdge: true);
        }
        _edges.Clear();
        _placed.Clear();
    }

    /// <summary><see cref="IMediaControl"/> over another node's <see cref="IMediaNodeGrain"/> (the calls a class makes for a peer there).</summary>
    private sealed class NodeMediaControl(IMediaNodeGrain node) : IMediaControl
    {
        public Task OpenRoomAsync(string roomId, CancellationToken ct = default) => Task.CompletedTask;

        public Task CloseRoomAsync(string roomId, CancellationToken ct = default) => Task.CompletedTask;

        public Task<string> NegotiateAsync(string roomId, string peerId, string sdpOffer, PublishedTracks publish, CancellationToken ct = default) =>
            node.NegotiateAsync(roomId, peerId, sdpOffer, publish);

        public Task RemovePeerAsync(string roomId, string peerId, CancellationToken ct = default) => node.RemovePeerAsync(roomId, peerId);

        // Bounded: a node killed but not yet taken for lost would hold the route (and whoever awaits it) for Orleans'
        // response timeout; a route that timed out is not kept, so the next pass sends it again.
        public Task RouteAsync(string roomId, string subscriberPeerId, string slotMid, MediaSource? source, CancellationToken ct = default) =>
            node.RouteAsync(roomId, subscriberPeerId, slotMid, source).WaitAsync(LoadTimeout, ct);

        // Dropped on the publisher's own node, so nothing of it is relayed to the origin or the other edges.
        public Task SetPublisherAudioMutedAsync(string roomId, string publisherPeerId, bool muted, CancellationToken ct = default) =>
            node.SetPublisherAudioMutedAsync(roomId, publisherPeerId, muted);

        public Task<IReadOnlyList<PeerMediaStats>> GetStatsAsync(string roomId, CancellationToken ct = default) => node.GetStatsAsync(roomId);
    }
}
