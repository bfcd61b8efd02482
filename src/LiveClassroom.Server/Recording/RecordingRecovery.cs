using LiveClassroom.Server.Jobs;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// Crash safety. At start-up: recordings this node left "recording" (it died) are moved to "finalizing", their
/// orphaned ffmpeg (if the process survived the server) is killed, and a finalize job turns their segments into a
/// playable recording. Afterwards, periodically: renew this node's recording leases and take over recordings of
/// nodes whose leases ran out.
/// </summary>
public sealed partial class RecordingRecovery(
    RecordingService recordings, RecordingStore store, NodeIdentity node, ILogger<RecordingRecovery> logger) : BackgroundService
{
    // Created with the host, before this instance can start any recording.
    private readonly DateTimeOffset _bootedAt = DateTimeOffset.UtcNow;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await RecoverAsync(includeOwn: true, stoppingToken);
        var period = TimeSpan.FromSeconds(Math.Max(1, recordings.Options.LeaseSeconds / 3.0));
        using var timer = new PeriodicTimer(period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await store.RenewLeasesAsync(recordings.ActiveIds, node.Id, recordings.Options.LeaseSeconds);
                }
                catch (Npgsql.NpgsqlException ex)
                {
                    LogSweepFailed(logger, ex);
                }
                await RecoverAsync(includeOwn: false, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>Claims orphaned recordings and queues their finalization; returns how many were found.</summary>
    public async Task<int> RecoverAsync(bool includeOwn, CancellationToken ct)
    {
        try
        {
            var orphans = await store.ClaimOrphansAsync(node.Id, includeOwn, recordings.ActiveIds, _bootedAt);
            foreach (var r in orphans)
            {
                if (r.NodeId == node.Id && r.FfmpegPid is { } pid)
                {
                    KillOrphan(pid, RecordingPaths.Directory(recordings.Root, r.Id));
                }
                await recordings.EnqueueFinalizeAsync(r.Id, r.SchoolId);
                LogRecovered(logger, r.Id, r.NodeId);
            }
            return orphans.Count;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Killed orphaned recorder ffmpeg {Pid}")]
    private static partial void LogKilledOrphan(ILogger logger, int pid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording lease sweep failed")]
    private static partial void LogSweepFailed(ILogger logger, Exception ex);
}
