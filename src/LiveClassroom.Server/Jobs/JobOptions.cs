namespace LiveClassroom.Server.Jobs;

/// <summary>The <c>Jobs</c> configuration section.</summary>
public sealed class JobOptions
{
    public const string Section = "Jobs";

    /// <summary>How often an idle worker looks for due jobs (an enqueue on this node wakes it at once).</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>How long a claimed job is held; a worker that dies lets it go after this.</summary>
    public int LeaseSeconds { get; set; } = 600;

    /// <summary>Back-off after the n-th failed attempt: base × 2^(n−1), capped at <see cref="RetryMaxSeconds"/>.</summary>
    public double RetryBaseSeconds { get; set; } = 5;

    public double RetryMaxSeconds { get; set; } = 600;

    /// <summary>Parallel workers on this node (the machine's cores are shared with live media).</summary>
    public int Workers { get; set; } = 1;

    /// <summary>Run no worker on this node (it still enqueues).</summary>
    public bool Disabled { get; set; }

    public TimeSpan Backoff(int attempts)
    {
        var seconds = RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempts - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, RetryMaxSeconds));
    }
}
