using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Server.Recording;
using LiveClassroom.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Operations;

/// <summary>
/// The admins' live network dashboard (管理 → 正在上课; docs/OPERATIONS.md): which hub connections on this node watch which
/// class, and a loop that every <see cref="Interval"/> reads each watched class (snapshot and SFU links through its grain,
/// recording state from the database) and pushes a <see cref="NetworkFrame"/> to the class's watcher groups: one per
/// scope — the whole class, or the classrooms a rural school's admin may see (<see cref="ClassAccess.NetworkScopeAsync"/>),
/// whose frame holds only those. Rights are checked by the hub before a connection is added. Each node serves its own
/// watchers, wherever the class runs.
/// </summary>
public sealed partial class NetworkDashboard : BackgroundService
{
    // The grain admits the server's lookups as a watching admin; who may watch was decided by the hub.
    private static readonly RoomCaller Lookup = new("server", "server", RoomRole.Admin);

    // class id → connection id → scope key ("" = the whole class).
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, string>> _watchers = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, long> _sequences = new(StringComparer.Ordinal);
    private readonly IGrainFactory _grains;
    private readonly IHubContext<ClassroomHub, IClassroomClient> _hub;
    private readonly RecordingStore? _recordings;
    private readonly ServerClock _clock;
    private readonly ILogger<NetworkDashboard> _logger;
    private readonly Counter<long> _frames;

    public NetworkDashboard(IServiceProvider services, IGrainFactory grains, IHubContext<ClassroomHub, IClassroomClient> hub, ServerClock clock,
        IConfiguration configuration, IMeterFactory meters, ILogger<NetworkDashboard> logger)
    {
        _grains = grains;
        _hub = hub;
        _recordings = services.GetService<RecordingStore>();
        _clock = clock;
        _logger = logger;
        var ms = configuration.GetValue("Dashboard:IntervalMilliseconds", 1000);
        Interval = TimeSpan.FromMilliseconds(Math.Clamp(ms, 200, 10_000));
        var meter = meters.Create(ServerMetrics.MeterName);
        var instance = new KeyValuePair<string, object?>("server_instance", Guid.NewGuid().ToString("n")[..12]);
        meter.CreateObservableGauge("liveclassroom.dashboard.watchers", () => new Measurement<int>(_watchers.Values.Sum(w => w.Count), instance), "{connection}",
            "Hub connections on this node watching a class's network dashboard");
        _frames = meter.CreateCounter<long>("liveclassroom.dashboard.frames", "{frame}", "Network dashboard frames pushed to watchers");
        _frames.Add(0);
    }

    /// <summary>How often a watched class's figures are pushed (<c>Dashboard:IntervalMilliseconds</c>, 200–10,000; default 1,000).</summary>
    public TimeSpan Interval { get; }

    /// <summary>The group of a class's watchers with one scope (<see cref="ScopeKey"/>; "" = the whole class).</summary>
    public static string GroupName(string classId, string scope) => scope.Length == 0 ? "net:" + classId : "net:" + classId + "|" + scope;

    /// <summary>A scope as a key: "" for the whole class (an empty set), else its classroom ids in order.</summary>
    public static string ScopeKey(IReadOnlySet<string> classrooms)
    {
        ArgumentNullException.ThrowIfNull(classrooms);
        return string.Join(',', classrooms.Order(StringComparer.Ordinal));
    }

    /// <summary>The frame as a watcher with that scope sees it: only its classrooms, unless it sees the whole class.</summary>
    public static NetworkFrame Scoped(NetworkFrame frame, string scope)
    {
        ArgumentNullException.ThrowIfNull(frame);
        if (scope.Length == 0)
        {
            return frame;
        }
        var visible = scope.Split(',').ToHashSet(StringComparer.Ordinal);
        return frame with { Classrooms = [.. frame.Classrooms.Where(c => visible.Contains(c.ClassroomId))] };
    }

    public void Add(string connectionId, string classId, string scope) =>
        _watchers.GetOrAdd(classId, _ => new ConcurrentDictionary<string, string>(StringComparer.Ordinal))[connectionId] = scope;

    public bool IsWatching(string connectionId, string classId) =>
        _watchers.TryGetValue(classId, out var w) && w.ContainsKey(connectionId);

    /// <summary>Stops one connection watching one class; false when it was not watching it. <paramref name="scope"/>: the scope it watched with.</summary>
    public bool Remove(string connectionId, string classId, out string scope)
    {
        scope = "";
        if (!_watchers.TryGetValue(classId, out var w) || !w.TryRemove(connectionId, out var watched))
        {
            return false;
        }
        scope = watched;
        if (w.IsEmpty)
        {
            _watchers.TryRemove(new KeyValuePair<string, ConcurrentDictionary<string, string>>(classId, w));
        }
        return true;
    }

    /// <summary>The classes a closed connection watched (their groups SignalR leaves by itself).</summary>
    public void RemoveConnection(string connectionId)
    {
        foreach (var classId in _watchers.Keys)
        {
            Remove(connectionId, classId, out _);
        }
    }

    /// <summary>The class's figures now, with the next sequence number.</summary>
    public async Task<NetworkFrame> FrameAsync(string classId, CancellationToken ct)
    {
        var grain = _grains.GetGrain<IClassroomGrain>(classId);
        var snapshot = await grain.GetSnapshotAsync(Lookup);
        var links = snapshot.State == ClassState.Live ? await grain.GetLinksAsync(Lookup) : [];
        var recording = await RecordingAsync(classId, ct);
        var seq = _sequences.AddOrUpdate(classId, 1, (_, s) => s + 1);
        return NetworkFrames.Build(classId, seq, _clock.GetUtcNow(), snapshot, links, recording);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var classId in _watchers.Keys)
            {
                await PushAsync(classId, stoppingToken);
            }
            foreach (var classId in _sequences.Keys)
            {
                if (!_watchers.ContainsKey(classId))
                {
                    _sequences.TryRemove(classId, out _);
                }
            }
        }
    }

    private async Task PushAsync(string classId, CancellationToken ct)
    {
        try
        {
            if (!_watchers.TryGetValue(classId, out var watchers))
            {
                return;
            }
            var frame = await FrameAsync(classId, ct);
            foreach (var scope in watchers.Values.Distinct(StringComparer.Ordinal))
            {
                await _hub.Clients.Group(GroupName(classId, scope)).NetworkFigures(Scoped(frame, scope));
                _frames.Add(1);
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // One class unreachable (its node died, the grain refused) must not stop the others' figures.
            LogFrameFailed(_logger, classId, ex.GetType().Name, ex.Message);
        }
    }

    private async Task<bool?> RecordingAsync(string classId, CancellationToken ct)
    {
        if (_recordings is null)
        {
            return null;
        }
        try
        {
            ct.ThrowIfCancellationRequested();
            return await _recordings.ActiveInRoomAsync(classId) is not null;
        }
        catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException or InvalidOperationException)
        {
            LogRecordingUnreadable(_logger, classId, ex.GetType().Name);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Network dashboard: no figures for class {ClassId} ({Reason}: {Message})")]
    private static partial void LogFrameFailed(ILogger logger, string classId, string reason, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Network dashboard: recording state of class {ClassId} unreadable ({Reason})")]
    private static partial void LogRecordingUnreadable(ILogger logger, string classId, string reason);
}
