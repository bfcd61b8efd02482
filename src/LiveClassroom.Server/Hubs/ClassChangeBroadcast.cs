using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// "A class opened / ended", told to every node, so each node tells its own waiting devices (<c>ClassOpened</c>) and
/// its admins watching the live classes (<c>LiveClassesChanged</c>), wherever the class runs. The class's node
/// publishes with PostgreSQL <c>pg_notify</c> on <see cref="Channel"/>; every node <c>LISTEN</c>s on a connection of its
/// own (re-established with back-off if the database goes away; what is missed meanwhile, devices find at their
/// timetable poll and admin pages when their hub reconnects). SignalR groups are per node: without this, only
/// connections on the class's node heard of it.
/// </summary>
public sealed partial class ClassChangeBroadcast(
    NpgsqlDataSource db,
    IHubContext<ClassroomHub, IClassroomClient> hub,
    ILogger<ClassChangeBroadcast> logger) : BackgroundService
{
    public const string Channel = "liveclassroom_class_changes";

    /// <summary>Largest payload sent in one notification (PostgreSQL's limit is 8,000 bytes; headroom kept).</summary>
    public const int MaxPayloadBytes = 7_500;

    private static readonly JsonSerializerOptions Json = ClassChange.Json;
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(30);
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The hub group of the admins of one organisation watching the live classes.</summary>
    public static string LiveGroupName(Guid organisationId) => "live:" + organisationId.ToString();

    /// <summary>Tells every node (this one included, through the database) that a class opened or ended.</summary>
    public async Task PublishAsync(ClassChange change, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(change);
        // NOTIFY payloads must stay under 8,000 bytes: a large class goes out in pieces, each told on its own.
        foreach (var piece in change.Split(MaxPayloadBytes))
        {
            await using var cmd = db.CreateCommand("SELECT pg_notify(@channel, @payload)");
            cmd.Parameters.AddWithValue("channel", Channel);
            cmd.Parameters.AddWithValue("payload", JsonSerializer.Serialize(piece, Json));
            await cmd.ExecuteNonQueryAsync(ct);
        }
    }

    /// <summary>The node starts only once it listens (bounded): a class opened right after start is not missed.</summary>
    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        await base.StartAsync(cancellationToken);
        await Task.WhenAny(_listening.Task, Task.Delay(TimeSpan.FromSeconds(10), cancellationToken));
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using var connection = await db.OpenConnectionAsync(stoppingToken);
                connection.Notification += (_, e) => Deliver(e.Payload);
                await using (var listen = new NpgsqlCommand("LISTEN " + Channel, connection))
                {
                    await listen.ExecuteNonQueryAsync(stoppingToken);
                }
                _listening.TrySetResult();
                retry = TimeSpan.FromSeconds(1);
                while (!stoppingToken.IsCancellationRequested)
                {
                    if (!await connection.WaitAsync((int)Idle.TotalMilliseconds, stoppingToken))
                    {
                        // Quiet for a while: make sure the connection is still there (a dead one would wait forever).
                        await using var ping = new NpgsqlCommand("SELECT 1", connection);
                        await ping.ExecuteScalarAsync(stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is NpgsqlException or IOException or TimeoutException or InvalidOperationException)
            {
                LogListenFailed(logger, ex, retry.TotalSeconds);
                try
                {
                    await Task.Delay(retry, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                retry = TimeSpan.FromSeconds(Math.Min(retry.TotalSeconds * 2, 10));
            }
        }
    }

    private void Deliver(string payload)
    {
        ClassChange? change;
        try
        {
            change = JsonSerializer.Deserialize<ClassChange>(payload, Json);
        }
        catch (JsonException)
        {
            change = null;
        }
        if (change is null || string.IsNullOrEmpty(change.ClassId))
        {
            LogBadPayload(logger, payload.Length);
            return;
        }
        // Not on the listening connection's thread: sends to slow connections must not hold the next notification.
        _ = Task.Run(() => SendAsync(change));
    }

    private async Task SendAsync(ClassChange change)
    {
        try
        {
            if (change.Opened)
            {
                foreach (var classroomId in change.ClassroomIds)
                {
                    await hub.Clients.Group(ClassOpenedNotifier.GroupName(classroomId)).ClassOpened(new ClassOpenedNotice(change.ClassId, classroomId));
                }
            }
            if (change.OrganisationIds.Count > 0)
            {
                var notice = new LiveClassesChangedNotice(change.ClassId, change.Opened ? "opened" : "ended");
                await hub.Clients.Groups([.. change.OrganisationIds.Select(LiveGroupName)]).LiveClassesChanged(notice);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogSendFailed(logger, ex, change.ClassId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class changes: listening failed; trying again in {Seconds} s")]
    private static partial void LogListenFailed(ILogger logger, Exception error, double seconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class changes: a notification of {Length} characters was not a class change; ignored")]
    private static partial void LogBadPayload(ILogger logger, int length);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Class changes: could not tell this node's connections about class {ClassId}")]
    private static partial void LogSendFailed(ILogger logger, Exception error, string classId);
}

