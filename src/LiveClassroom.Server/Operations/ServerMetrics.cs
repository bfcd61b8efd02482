using System.Diagnostics.Metrics;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Server.Recording;
using Npgsql;

namespace LiveClassroom.Server.Operations;

/// <summary>
/// The server's own metrics on the <c>LiveClassroom.Server</c> meter (docs/OPERATIONS.md, "Metrics"): rooms and
/// participants of this node, hub connections, recordings and the finalize queue, logins. Gauges are read when the
/// exporter collects; counters start at 0 so every series exists from the first scrape.
/// </summary>
public sealed partial class ServerMetrics
{
    public const string MeterName = "LiveClassroom.Server";

    private static readonly KeyValuePair<string, object?>[] NoTags = [];

    // The gauges of this server instance: several hosts in one process (the test servers) share the meter's name, and
    // OpenTelemetry would otherwise report one host's reading for all of them.
    private readonly KeyValuePair<string, object?> _instance = new("server_instance", Guid.NewGuid().ToString("n")[..12]);

    private readonly Counter<long> _logins;
    private readonly Counter<long> _loginFailures;
    private readonly Counter<long> _loginsThrottled;
    private readonly UpDownCounter<long> _hubConnections;
    private readonly NpgsqlDataSource _db;
    private readonly ILogger<ServerMetrics> _logger;

    public ServerMetrics(IMeterFactory meters, ClassConnections classes, RecordingService recordings, NpgsqlDataSource db, ILogger<ServerMetrics> logger)
    {
        _db = db;
        _logger = logger;
        var meter = meters.Create(MeterName);
        _logins = meter.CreateCounter<long>("liveclassroom.auth.logins", "{login}", "Successful logins");
        _loginFailures = meter.CreateCounter<long>("liveclassroom.auth.login_failures", "{login}", "Refused logins (wrong password, unknown or inactive account)");
        _loginsThrottled = meter.CreateCounter<long>("liveclassroom.auth.login_throttled", "{login}", "Logins refused by the per-account and per-address limits");
        _hubConnections = meter.CreateUpDownCounter<long>("liveclassroom.hub.connections", "{connection}", "Open SignalR connections, by hub");
        meter.CreateObservableGauge("liveclassroom.rooms.live_classes", () => new Measurement<int>(classes.RoomsWithConnections, _instance), "{class}",
            "Classes with at least one hub connection on this node");
        meter.CreateObservableGauge("liveclassroom.rooms.participants", () => ByRole(classes, _instance), "{participant}",
            "Participants joined to classes on this node, by role");
        meter.CreateObservableGauge("liveclassroom.recordings.active", () => new Measurement<int>(recordings.ActiveIds.Count, _instance), "{recorder}", "Recorders running on this node");
        meter.CreateObservableGauge("liveclassroom.recordings.finalize_queue", FinalizeQueue, "{job}",
            "Recording finalize jobs queued or running (all nodes: read from the job queue)");
        foreach (var counter in new[] { _logins, _loginFailures, _loginsThrottled })
        {
            counter.Add(0, NoTags);
        }
    }

    public void LoggedIn() => _logins.Add(1);

    public void LoginFailed() => _loginFailures.Add(1);

    public void LoginThrottled() => _loginsThrottled.Add(1);

    public void HubConnected(string hub) => _hubConnections.Add(1, new KeyValuePair<string, object?>("hub", hub));

    public void HubDisconnected(string hub) => _hubConnections.Add(-1, new KeyValuePair<string, object?>("hub", hub));

    private static IEnumerable<Measurement<int>> ByRole(ClassConnections classes, KeyValuePair<string, object?> instance) =>
        classes.Members.GroupBy(m => m.Role).Select(g => new Measurement<int>(g.Count(), new KeyValuePair<string, object?>("role", g.Key.ToString()), instance));

    private IEnumerable<Measurement<long>> FinalizeQueue()
    {
        try
        {
            using var cmd = _db.CreateCommand("SELECT count(*) FROM jobs WHERE kind = @kind AND status IN ('queued', 'running')");
            cmd.Parameters.AddWithValue("kind", RecordingService.FinalizeJobKind);
            cmd.CommandTimeout = 2;
            return [new Measurement<long>((long)cmd.ExecuteScalar()!)];
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException or InvalidOperationException)
        {
            // A scrape while the database is away reports no value rather than failing the whole scrape.
            LogQueueUnreadable(_logger, ex);
            return [];
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics: the finalize queue could not be read")]
    private static partial void LogQueueUnreadable(ILogger logger, Exception ex);
}
