using System.Collections.Concurrent;
using LiveClassroom.Grains.Cascade;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Media;
using Microsoft.AspNetCore.SignalR;
using Orleans.Runtime;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Tells a participant's page when the SFU pauses or resumes its video for lack of bandwidth (audio-first) or moves it
/// to another layer: the SFU's <see cref="MediaServer.MediaQualityChanged"/> (room = class id, peer = principal id) goes
/// to the one classroom-hub connection holding that media peer, on this node or on another. Nothing for other rooms
/// (research). A connection that takes the media peer over (its Negotiate, e.g. after a hub rejoin) claims the peer's
/// notices on the peer's media node (<see cref="ClaimAsync"/>) and is sent the last notice again: the SFU, whose choice
/// did not change, would otherwise say nothing, and a paused video would stay paused without the page knowing
/// (RuralLinkFigures, 150 kbit/s: the stall watch replaced the hub 5 s into a pause).
/// Across nodes (docs/CASCADE.md, "Media quality notices"): per (room, peer) on the media node, no entry (nobody
/// claimed: notices go to the connection here, if any) → a claim (entry: the claiming node and the negotiation's
/// sequence; a node other than this one is sent each notice, in order, through its <see cref="IMediaNodeGrain"/>) → a
/// later claim replaces it; one with a lower sequence (a claim that landed after a newer one: two tabs on two hub
/// nodes negotiating moments apart) changes nothing.
/// </summary>
public sealed partial class MediaQualityNotifier : IHostedService, IDisposable, IMediaQualityNotices
{
    /// <summary>Notices waiting for one other node at most; more are dropped (counted) rather than held for a node that does not answer.</summary>
    internal const int MaxPendingPerNode = 256;

    private const int MaxIdLength = 200;

    private readonly MediaServer? _media;
    private readonly ClassConnections _connections;
    private readonly IHubContext<ClassroomHub, IClassroomClient> _hub;
    private readonly IServiceProvider _services;
    private readonly ILogger<MediaQualityNotifier> _logger;
    // Media side: the node of the connection holding each peer and the sequence of the negotiation that claimed it.
    private readonly ConcurrentDictionary<(string Room, string Peer), (string Node, long Sequence)> _owners = new();
    private readonly Lock _claiming = new();
    // Per other node: the last send queued to it (each send starts when the one before it ended) and how many wait.
    private readonly Lock _sending = new();
    private readonly Dictionary<string, (Task Tail, int Pending)> _toNodes = new(StringComparer.Ordinal);
    private int _pruneAbove = 1024;
    private string? _nodeId;
    private long _dropped;

    public MediaQualityNotifier(IServiceProvider services, ClassConnections connections, IHubContext<ClassroomHub, IClassroomClient> hub,
        ILogger<MediaQualityNotifier> logger)
    {
        _services = services;
        _media = services.GetService<MediaServer>();
        _connections = connections;
        _hub = hub;
        _logger = logger;
    }

    /// <summary>This node, as the class grain names media nodes (its silo address).</summary>
    private string NodeId => _nodeId ??= _services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

    private IGrainFactory Grains => _services.GetRequiredService<IGrainFactory>();

    /// <summary>Notices not delivered for bad ids or a full queue to another node (a test reads it).</summary>
    internal long Dropped => Interlocked.Read(ref _dropped);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (_media is not null)
        {
            _media.MediaQualityChanged += OnQualityChanged;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    // Raised on the SFU's event dispatcher, one at a time and in order. Here the send is awaited there so notices keep
    // their order; to another node they are queued per node (a node's calls in order), so the dispatcher never waits on one.
    internal void OnQualityChanged(object? sender, MediaQualityEventArgs e)
    {
        var notice = new MediaQualityNotice(e.VideoPaused, e.Layer, e.EstimatedBitrateBps);
        if (_owners.TryGetValue((e.RoomId, e.PeerId), out var owner) && owner.Node != NodeId)
        {
            SendToNode(owner.Node, e.RoomId, e.PeerId, notice);
            return;
        }
        DeliverHereAsync(e.RoomId, e.PeerId, notice).GetAwaiter().GetResult();
    }

    /// <summary>
    /// After <paramref name="principalId"/>'s connection here claimed its media peer in the class (its Negotiate): the
    /// peer's notices now come to this node, and the SFU of <paramref name="mediaNode"/> (the answer's; null or this node:
    /// here) raises its last notice for the peer again, through the same ordered dispatch as every change, so it reaches
    /// the new owner and cannot overtake a change. On this node that is done before this returns; on another node the call
    /// is sent before this returns and the task completes with its reply: the Negotiate does not wait for it. Completes
    /// false when nothing was repeated; never faults: a media node that cannot be reached is logged (the media itself was
    /// negotiated).
    /// </summary>
    public Task<bool> ClaimAsync(string classId, string principalId, string? mediaNode, long sequence) =>
        mediaNode is null || mediaNode == NodeId
            ? Task.FromResult(Claim(classId, principalId, NodeId, sequence))
            : ClaimOnNodeAsync(classId, principalId, mediaNode, sequence);

    public bool Claim(string roomId, string peerId, string ownerNodeId, long sequence)
    {
        if (!IsId(roomId) || !IsId(peerId) || !IsId(ownerNodeId) || sequence < 0 || _media?.GetRoom(roomId) is not { } room)
        {
            return false;
        }
        lock (_claiming)
        {
            // Claims arrive from any node's call, in any order: the latest negotiation's stands (0: not ordered, taken as it comes).
            if (sequence != 0 && _owners.TryGetValue((roomId, peerId), out var held) && held.Sequence > sequence)
            {
                LogStaleClaim(_logger, roomId);
                return false;
            }
            _owners[(roomId, peerId)] = (ownerNodeId, sequence);
        }
        PruneClosedRooms();
        return room.RepeatMediaQuality(peerId);
    }

    public Task DeliverAsync(string roomId, string peerId, MediaQualityNotice notice)
    {
        if (!IsId(roomId) || !IsId(peerId) || notice is null)
        {
            Interlocked.Increment(ref _dropped);
            return Task.CompletedTask;
        }
        return DeliverHereAsync(roomId, peerId, notice);
    }

    public void Dispose()
    {
        if (_media is not null)
        {
            _media.MediaQualityChanged -= OnQualityChanged;
        }
    }

    private async Task<bool> ClaimOnNodeAsync(string classId, string principalId, string mediaNode, long sequence)
    {
        try
        {
            return await Grains.GetGrain<IMediaNodeGrain>(mediaNode).ClaimQualityNoticesAsync(classId, principalId, NodeId, sequence);
        }
#pragma warning disable CA1031 // Nobody awaits this (the answer went back already): any failure is logged, never thrown.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogClaimFailed(_logger, classId, ex.GetType().Name);
            return false;
        }
    }

    private async Task DeliverHereAsync(string roomId, string peerId, MediaQualityNotice notice)
    {
        if (_connections.MediaOwner(roomId, peerId) is not { } connectionId)
        {
            return;
        }
        var message = new MediaQualityMessage(roomId, notice.VideoPaused, notice.Layer, notice.EstimatedBitrateBps / 1000);
        LogQuality(_logger, roomId, peerId, notice.VideoPaused, notice.Layer ?? "none", message.EstimateKbps);
        try
        {
            await _hub.Clients.Client(connectionId).MediaQuality(message);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException)
        {
            LogNotDelivered(_logger, roomId, ex.GetType().Name);
        }
    }

    private void SendToNode(string node, string roomId, string peerId, MediaQualityNotice notice)
    {
        lock (_sending)
        {
            var (tail, pending) = _toNodes.GetValueOrDefault(node);
            if (pending >= MaxPendingPerNode)
            {
                Interlocked.Increment(ref _dropped);
                LogQueueFull(_logger, roomId);
                return;
            }
            _toNodes[node] = (SendAfterAsync(tail ?? Task.CompletedTask, node, roomId, peerId, notice), pending + 1);
        }
    }

    private async Task SendAfterAsync(Task previous, string node, string roomId, string peerId, MediaQualityNotice notice)
    {
        // Always yields (the call starts outside the lock), and only once the notice before it to that node was taken:
        // one call at a time per node, so a resume cannot overtake a pause.
        await previous.ConfigureAwait(ConfigureAwaitOptions.ForceYielding | ConfigureAwaitOptions.SuppressThrowing);
        try
        {
            await Grains.GetGrain<IMediaNodeGrain>(node).DeliverQualityNoticeAsync(roomId, peerId, notice);
        }
#pragma warning disable CA1031 // A node gone or refusing costs this notice only, never the later ones nor the SFU's dispatcher.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogNotForwarded(_logger, roomId, ex.GetType().Name);
        }
        finally
        {
            lock (_sending)
            {
                var (tail, pending) = _toNodes[node];
                if (pending <= 1)
                {
                    _toNodes.Remove(node);
                }
                else
                {
                    _toNodes[node] = (tail, pending - 1);
                }
            }
        }
    }

    /// <summary>Forgets the claims of rooms this node's SFU no longer has (a class ended, an edge closed), now and then.</summary>
    private void PruneClosedRooms()
    {
        if (_owners.Count <= Volatile.Read(ref _pruneAbove))
        {
            return;
        }
        foreach (var key in _owners.Keys)
        {
            if (_media?.GetRoom(key.Room) is null)
            {
                _owners.TryRemove(key, out _);
            }
        }
        Volatile.Write(ref _pruneAbove, Math.Max(1024, _owners.Count * 2));
    }

    private static bool IsId(string? value) => value is { Length: > 0 and <= MaxIdLength };

    // The participant's id (not a name) tells which classroom's link a line is about when several share a class.
    [LoggerMessage(Level = LogLevel.Information, Message = "Class {ClassId}: participant {PeerId}'s video is now paused={Paused}, layer {Layer}, estimate {EstimateKbps} kbps")]
    private static partial void LogQuality(ILogger logger, string classId, string peerId, bool paused, string layer, long estimateKbps);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class {ClassId}: media quality notice not delivered ({Reason})")]
    private static partial void LogNotDelivered(ILogger logger, string classId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class {ClassId}: media quality notice not handed to the hub's node ({Reason})")]
    private static partial void LogNotForwarded(ILogger logger, string classId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class {ClassId}: media quality notice dropped, too many waiting for the hub's node")]
    private static partial void LogQueueFull(ILogger logger, string classId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Class {ClassId}: a media quality claim older than the one held was ignored (it landed after a newer negotiation's)")]
    private static partial void LogStaleClaim(ILogger logger, string classId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class {ClassId}: media quality notices not claimed on the media node ({Reason})")]
    private static partial void LogClaimFailed(ILogger logger, string classId, string reason);
}
