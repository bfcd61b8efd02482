namespace LiveClassroom.Server.Jobs;

/// <summary>Runs jobs of one kind. Must be idempotent: a job may run again after a crash or a lost lease.</summary>
public interface IJobHandler
{
    string Kind { get; }

    /// <summary>Throws to fail the attempt (retried with back-off); <paramref name="progress"/> takes 0–100.</summary>
    Task RunAsync(JobRow job, Func<int, Task> progress, CancellationToken ct);
}
