using System.Collections.Concurrent;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Tests.Doubles;

/// <summary>
/// Stands in for the SFU: records every call and keeps the resulting route and mute tables, so tests check what the
/// room asked the media plane to do. An offer containing "invalid" is refused like a malformed SDP, one containing
/// "too-many-sections" like an offer over the SFU's m-section limit; "refuse:{MediaRefusal}" is refused with that reason.
/// </summary>
public sealed class RecordingMediaControl : IMediaControl
{
    private readonly ConcurrentQueue<string> _calls = new();
    private readonly ConcurrentDictionary<(string Room, string Peer, string Mid), MediaSource?> _routes = new();
    private readonly ConcurrentDictionary<(string Room, string Peer), bool> _muted = new();
    private readonly ConcurrentDictionary<(string Room, string Peer), PublishedTracks> _publish = new();

    /// <summary>One line per call, e.g. <c>route class-1 peerA 3 -> lead:0</c>.</summary>
    public IReadOnlyList<string> Calls => [.. _calls];

    /// <summary>The source a subscriber's slot (mid) currently receives, or null.</summary>
    public MediaSource? RouteOf(string room, string subscriberPeerId, string mid) =>
        _routes.TryGetValue((room, subscriberPeerId, mid), out var s) ? s : null;

    /// <summary>The publish mids the last negotiation of this peer passed to the media plane, or null.</summary>
    public PublishedTracks? PublishOf(string room, string peerId) => _publish.TryGetValue((room, peerId), out var p) ? p : null;

    /// <summary>Peers negotiated and not removed since (all rooms): a node's SFU subscribers.</summary>
    public int PeerCount => _publish.Count;

    /// <summary>Whether this peer is negotiated here now.</summary>
    public bool HasPeer(string room, string peerId) => _publish.ContainsKey((room, peerId));

    private TaskCompletionSource? _hold;
    private int _held;
    private readonly Lock _holdGate = new();
    private TaskCompletionSource<bool> _heldReached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _heldTarget;

    /// <summary>From now on negotiations wait until <see cref="Release"/>; the returned task completes once <paramref name="count"/> of them wait.</summary>
    public Task HoldNegotiations(int count)
    {
        lock (_holdGate)
        {
            _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _held = 0;
            _heldTarget = count;
            _heldReached = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
            return _heldReached.Task;
        }
    }

    /// <summary>Lets every held negotiation (and later ones) go on at once.</summary>
    public void Release()
    {
        lock (_holdGate)
        {
            _hold?.TrySetResult();
            _hold = null;
        }
    }

    private readonly Lock _routeGate = new();
    private string? _routesHeldOf;
    private TaskCompletionSource _routesRelease = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource _routeHeld = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>From now on routes of this subscriber wait until <see cref="ReleaseRoutes"/>; the returned task completes once one waits.</summary>
    public Task HoldRoutesOf(string subscriberPeerId)
    {
        lock (_routeGate)
        {
            _routesHeldOf = subscriberPeerId;
            _routesRelease = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _routeHeld = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _routeHeld.Task;
        }
    }

    /// <summary>Lets every held route (and later ones) through.</summary>
    public void ReleaseRoutes()
    {
        lock (_routeGate)
        {
            _routesHeldOf = null;
            _routesRelease.TrySetResult();
        }
    }

    public bool IsMuted(string room, string publisherPeerId) => _muted.TryGetValue((room, publisherPeerId), out var m) && m;

    public Task OpenRoomAsync(string roomId, CancellationToken ct = default)
    {
        _calls.Enqueue($"open {roomId}");
        return Task.CompletedTask;
    }

    public Task CloseRoomAsync(string roomId, CancellationToken ct = default)
    {
        _calls.Enqueue($"close {roomId}");
        return Task.CompletedTask;
    }

    public async Task<string> NegotiateAsync(string roomId, string peerId, string sdpOffer, PublishedTracks publish, CancellationToken ct = default)
    {
        Task? hold;
        lock (_holdGate)
        {
            hold = _hold?.Task;
            if (hold is not null && ++_held >= _heldTarget)
            {
                _heldReached.TrySetResult(true);
            }
        }
        if (hold is not null)
        {
            await hold;
        }
        return Negotiate(roomId, peerId, sdpOffer, publish);
    }

    private string Negotiate(string roomId, string peerId, string sdpOffer, PublishedTracks publish)
    {
        if (sdpOffer.Contains("invalid", StringComparison.Ordinal))
        {
            throw new FormatException("malformed SDP offer");
        }
        if (sdpOffer.Contains("too-many-sections", StringComparison.Ordinal))
        {
            throw new MediaOfferRefusedException("too_many_media_sections", "The offer has 100 media sections; at most 40 are allowed.");
        }
        if (sdpOffer.StartsWith("refuse:", StringComparison.Ordinal))
        {
            throw new MediaRefusedException(Enum.Parse<MediaRefusal>(sdpOffer["refuse:".Length..]), "refused by the test");
        }
        _publish[(roomId, peerId)] = publish;
        _calls.Enqueue($"negotiate {roomId} {peerId}");
        return $"answer-for-{peerId}";
    }

    public Task RemovePeerAsync(string roomId, string peerId, CancellationToken ct = default)
    {
        _calls.Enqueue($"remove {roomId} {peerId}");
        _publish.TryRemove((roomId, peerId), out _);
        foreach (var key in _routes.Keys.Where(k => k.Room == roomId && k.Peer == peerId))
        {
            _routes.TryRemove(key, out _);
        }
        return Task.CompletedTask;
    }

    public async Task RouteAsync(string roomId, string subscriberPeerId, string slotMid, MediaSource? source, CancellationToken ct = default)
    {
        Task? release = null;
        lock (_routeGate)
        {
            if (_routesHeldOf == subscriberPeerId)
            {
                release = _routesRelease.Task;
                _routeHeld.TrySetResult();
            }
        }
        if (release is not null)
        {
            await release;
        }
        _calls.Enqueue($"route {roomId} {subscriberPeerId} {slotMid} -> {(source is null ? "none" : $"{source.PublisherPeerId}:{source.PublisherMid}")}");
        _routes[(roomId, subscriberPeerId, slotMid)] = source;
    }

    public Task SetPublisherAudioMutedAsync(string roomId, string publisherPeerId, bool muted, CancellationToken ct = default)
    {
        _calls.Enqueue($"mute {roomId} {publisherPeerId} {muted}");
        _muted[(roomId, publisherPeerId)] = muted;
        return Task.CompletedTask;
    }

    /// <summary>One row per negotiated peer of the room: 40 ms round trip, 800 kbps sent to it, 2 % of that lost.</summary>
    public Task<IReadOnlyList<PeerMediaStats>> GetStatsAsync(string roomId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<PeerMediaStats>>([.. _publish.Keys.Where(k => k.Room == roomId)
            .Select(k => new PeerMediaStats(k.Peer, "connected", 0, 800_000, 0, 40, null, 0.02, 1))]);
}
