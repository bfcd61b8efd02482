using LiveClassroom.Server.Jobs;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// Crash safety. At start-up: this node's recordings left running by its previous instance (it died) have their orphaned
/// ffmpeg (if the process survived the server) killed. Periodically: renew this node's recording leases, let go of
/// recorders whose recording another node now continues, and deal with recordings nobody drives (owner's lease run out,
/// or a previous instance of this node):
/// - their class is over (or the room is not a class): claim them (→ finalizing) and queue the finalize job;
/// - their class is still live: leave them running for <see cref="RecordingOptions.ContinueGraceSeconds"/> after the
///   lease ran out, because the node the class moves to continues the recording as a further part. Asking the class
///   whether it is live also wakes it (it activates on a live node, here by preference), which is what starts that
///   continuation. Only when nobody has continued it within the grace is it finalized with what it has.
/// A claim is a compare-and-set on the ownership the sweep examined (node and owned_since), so a continuation that
/// takes the row first wins and the recording is finalized exactly once, by the owner that ends it.
/// </summary>
public sealed partial class RecordingRecovery(
    RecordingService recordings, RecordingStore store, NodeIdentity node, LiveClassRecordingStarter classes,
    IHostApplicationLifetime lifetime, ILogger<RecordingRecovery> logger) : BackgroundService
{
    // Created with the host, before this instance can start any recording.
    private readonly DateTimeOffset _bootedAt = DateTimeOffset.UtcNow;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The sweep asks classes whether they are live: the silo must be up first.
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
            {
                await started.Task.WaitAsync(stoppingToken);
            }
            await RecoverAsync(includeOwn: true, stoppingToken);
            var period = TimeSpan.FromSeconds(Math.Max(1, recordings.Options.LeaseSeconds / 3.0));
            using var timer = new PeriodicTimer(period);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                await RenewAsync();
                await RecoverAsync(includeOwn: false, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>Renews this node's leases and lets go of recorders whose recording another node took over.</summary>
    public async Task RenewAsync()
    {
        try
        {
            var active = recordings.ActiveIds;
            var renewed = await store.RenewLeasesAsync(active, node.Id, recordings.Options.LeaseSeconds);
            foreach (var id in active.Except(renewed))
            {
                await recordings.RelinquishAsync(id);
            }
        }
        catch (Npgsql.NpgsqlException ex)
        {
            LogSweepFailed(logger, ex);
        }
    }

    /// <summary>Claims orphaned recordings whose class will not continue them and queues their finalization; returns how many.</summary>
    public async Task<int> RecoverAsync(bool includeOwn, CancellationToken ct)
    {
        try
        {
            var claimed = 0;
            foreach (var r in await store.OrphansAsync(node.Id, includeOwn, recordings.ActiveIds, _bootedAt))
            {
                if (includeOwn && r.NodeId == node.Id && r.FfmpegPid is { } pid)
                {
                    KillOrphan(pid, RecordingPaths.Directory(recordings.Root, r.Id));
                }
                if (await WaitsForContinuationAsync(r))
                {
                    continue;
                }
                if (await store.ClaimOrphanAsync(r, node.Id, includeOwn, _bootedAt) is not { } mine)
                {
                    // Continued (or renewed) since it was examined: not an orphan any more.
                    continue;
                }
                await recordings.EnqueueFinalizeAsync(mine.Id, mine.SchoolId);
                LogRecovered(logger, mine.Id, mine.NodeId);
                claimed++;
            }
            return claimed;
        }
        catch (Npgsql.NpgsqlException ex)
        {
            LogSweepFailed(logger, ex);
            return 0;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 0;
        }
    }

    /// <summary>True while a live class may still continue the recording (its grace since the lease ran out has not passed).</summary>
    private async Task<bool> WaitsForContinuationAsync(RecordingRow r)
    {
        var graceEnds = new DateTimeOffset(DateTime.SpecifyKind(r.LeaseUntil, DateTimeKind.Utc))
            + TimeSpan.FromSeconds(recordings.Options.ContinueGraceSeconds);
        if (DateTimeOffset.UtcNow >= graceEnds)
        {
            return false;
        }
        // Null (the class could not be asked now): assume live, ask again on the next sweep, at worst until the grace ends.
        var live = await classes.IsLiveAsync(r.RoomId);
        if (live != false)
        {
            LogAwaitingContinuation(logger, r.Id, r.RoomId, r.NodeId);
            return true;
        }
        return false;
    }

    /// <summary>Kills a leftover ffmpeg only if it really is ours: its command line names the recording's folder.</summary>
    private void KillOrphan(int pid, string directory)
    {
        try
        {
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            if (!cmdline.Contains(directory, StringComparison.Ordinal))
            {
                return;
            }
            using var p = System.Diagnostics.Process.GetProcessById(pid);
            p.Kill();
            LogKilledOrphan(logger, pid);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException
            or System.ComponentModel.Win32Exception)
        {
            // Gone already.
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recovering recording {RecordingId} left unfinished by node {NodeId}")]
    private static partial void LogRecovered(ILogger logger, Guid recordingId, string nodeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId} left by node {NodeId}: class {RoomId} is still live, waiting for the node it moved to to continue it")]
    private static partial void LogAwaitingContinuation(ILogger logger, Guid recordingId, string roomId, string nodeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killed orphaned recorder ffmpeg {Pid}")]
    private static partial void LogKilledOrphan(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording lease sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
