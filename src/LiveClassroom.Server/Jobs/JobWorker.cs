namespace LiveClassroom.Server.Jobs;

/// <summary>Claims and runs due jobs with the registered handlers; failures are retried with back-off by the queue.</summary>
public sealed partial class JobWorker(JobQueue queue, IEnumerable<IJobHandler> handlers, JobOptions options, ILogger<JobWorker> logger)
    : BackgroundService
{
    private readonly Dictionary<string, IJobHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (options.Disabled || _handlers.Count == 0)
        {
            return Task.CompletedTask;
        }
        var workers = Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => Task.Run(() => LoopAsync(stoppingToken), stoppingToken));
        return Task.WhenAll(workers);
    }

    private async Task LoopAsync(CancellationToken ct)
    {
        var kinds = _handlers.Keys.ToArray();
        while (!ct.IsCancellationRequested)
        {
            JobRow? job = null;
            try
            {
                job = await queue.ClaimAsync(kinds, ct);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                LogClaimFailed(logger, ex);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            if (job is null)
            {
                try
                {
                    await queue.Wake.WaitAsync(TimeSpan.FromMilliseconds(options.PollMilliseconds), ct);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
                continue;
            }
            try
            {
                await RunOneAsync(job, ct);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or TimeoutException)
            {
                // The outcome could not be recorded: the lease runs out and the job is claimed again.
                LogClaimFailed(logger, ex);
            }
        }
    }

    /// <summary>Runs one claimed job and records the outcome.</summary>
    internal async Task RunOneAsync(JobRow job, CancellationToken ct)
    {
        var handler = _handlers[job.Kind];
        LogRunning(logger, job.Id, job.Kind, job.Attempts);
        try
        {
            await handler.RunAsync(job, p => queue.SetProgressAsync(job.Id, p), ct);
            await queue.CompleteAsync(job.Id);
            LogSucceeded(logger, job.Id, job.Kind);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the lease runs out and another worker (or this node after restart) takes it again.
        }
        catch (Exception ex)
        {
            LogAttemptFailed(logger, job.Id, job.Kind, job.Attempts, ex.Message);
            await queue.FailAsync(job, $"{ex.GetType().Name}: {ex.Message}");
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) attempt {Attempt} started")]
    private static partial void LogRunning(ILogger logger, long jobId, string kind, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({Kind}) succeeded")]
    private static partial void LogSucceeded(ILogger logger, long jobId, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} ({Kind}) attempt {Attempt} failed: {Error}")]
    private static partial void LogAttemptFailed(ILogger logger, long jobId, string kind, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Claiming a job failed")]
    private static partial void LogClaimFailed(ILogger logger, Exception ex);
}
