using System.Collections.Concurrent;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Hubs;
using Orleans.Runtime;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// This node's subscriptions to the rooms its hub connections are in: one observer for the node, subscribed to each
/// such room and renewed every <see cref="RenewPeriod"/>. Renewal is also what finds a room again after it activated
/// on another node (its old activation's subscriber list died with it) and what wakes a room whose node died.
/// Events go to every <see cref="IRoomEventSink"/>. Running: a renewal pass every 3 s until the host stops, and one at
/// once when the cluster declares a node dead, so the rooms that node hosted activate again without waiting for the
/// next pass.
/// </summary>
public sealed partial class RoomSubscriptions : BackgroundService, IRoomObserver
{
    public static readonly TimeSpan RenewPeriod = TimeSpan.FromSeconds(3);

    private readonly IGrainFactory _grains;
    private readonly ClassConnections _classes;
    private readonly ResearchConnections _research;
    private readonly IRoomEventSink[] _sinks;
    private readonly ILogger<RoomSubscriptions> _logger;
    private readonly ConcurrentDictionary<GrainKey, byte> _subscribed = new();
    // One reference for the node, created once: joins subscribe concurrently, and a second reference would be a second
    // observer in the room's list, delivering every event twice to this node (until it expired, unrenewed).
    private readonly Lazy<IRoomObserver> _reference;
    private readonly IClusterMembershipService _membership;

    public RoomSubscriptions(IGrainFactory grains, ClassConnections classes, ResearchConnections research, IEnumerable<IRoomEventSink> sinks, ILogger<RoomSubscriptions> logger,
        IClusterMembershipService membership)
    {
        _membership = membership;
        _grains = grains;
        _classes = classes;
        _research = research;
        _sinks = [.. sinks];
        _logger = logger;
        _reference = new Lazy<IRoomObserver>(() => _grains.CreateObjectReference<IRoomObserver>(this), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    private IRoomObserver Reference => _reference.Value;

    /// <summary>Subscribes now (a connection just joined the room), so its events flow before the next pass.</summary>
    public async Task EnsureAsync(GrainKey room)
    {
        await Room(room).SubscribeAsync(Reference);
        _subscribed[room] = 0;
    }

    public async Task OnRoomEventsAsync(IReadOnlyList<RoomEvent> roomEvents)
    {
        ArgumentNullException.ThrowIfNull(roomEvents);
        if (roomEvents.Count == 0)
        {
            return;
        }
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.OnRoomEventsAsync(roomEvents, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSinkFailed(_logger, ex, sink.GetType().Name, roomEvents[0].Room);
            }
        }
    }

    public async Task OnRoomEventAsync(RoomEvent roomEvent)
    {
        ArgumentNullException.ThrowIfNull(roomEvent);
        foreach (var sink in _sinks)
        {
            try
            {
                await sink.OnRoomEventAsync(roomEvent, CancellationToken.None);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogSinkFailed(_logger, ex, sink.GetType().Name, roomEvent.Room);
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var onDeath = RenewOnDeathAsync(stoppingToken);
        using var timer = new PeriodicTimer(RenewPeriod);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewAsync(stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        await onDeath;
    }

    /// <summary>A pass as soon as a node is declared dead: its rooms come back up to <see cref="RenewPeriod"/> sooner.</summary>
    private async Task RenewOnDeathAsync(CancellationToken ct)
    {
        HashSet<SiloAddress>? dead = null;
        try
        {
            await foreach (var snapshot in _membership.MembershipUpdates.WithCancellation(ct))
            {
                var newlyDead = false;
                var known = dead is not null;
                dead ??= [];
                foreach (var (silo, member) in snapshot.Members)
                {
                    newlyDead |= member.Status == SiloStatus.Dead && dead.Add(silo);
                }
                // The first snapshot lists nodes dead long ago: nothing of theirs is waiting.
                if (newlyDead && known)
                {
                    await RenewAsync(ct); // failures are per room, logged inside
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass; passes may overlap (one stuck on a hung node while a death starts another): subscribing twice is harmless.</summary>
    private async Task RenewAsync(CancellationToken ct)
    {
        var wanted = _classes.Rooms.Select(id => new GrainKey(GrainKinds.Classroom, id))
            .Concat(_research.Rooms.Select(id => new GrainKey(GrainKinds.Research, id)))
            .ToHashSet();
        await Parallel.ForEachAsync(wanted, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (room, _) =>
        {
            try
            {
                await EnsureAsync(room);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The room is moving (its node died): the next pass tries again, and its clients resync on the gap.
                LogRenewFailed(_logger, ex, room);
            }
        });
        foreach (var room in _subscribed.Keys.Where(k => !wanted.Contains(k)).ToList())
        {
            _subscribed.TryRemove(room, out _);
            try
            {
                await Room(room).UnsubscribeAsync(Reference);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogRenewFailed(_logger, ex, room);
            }
        }
    }

    private IRoomGrain Room(GrainKey room) => room.Kind switch
    {
        GrainKinds.Classroom => _grains.GetGrain<IClassroomGrain>(room.Id),
        GrainKinds.Research => _grains.GetGrain<IResearchSessionGrain>(room.Id),
        _ => throw new ArgumentException($"no subscriptions for rooms of kind {room.Kind}", nameof(room)),
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room event sink {Sink} failed for {Room}")]
    private static partial void LogSinkFailed(ILogger logger, Exception error, string sink, GrainKey room);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscription to {Room} not renewed this pass")]
    private static partial void LogRenewFailed(ILogger logger, Exception error, GrainKey room);
}
