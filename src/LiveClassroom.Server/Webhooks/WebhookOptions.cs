namespace LiveClassroom.Server.Webhooks;

/// <summary>The <c>Webhooks</c> configuration section.</summary>
public sealed class WebhookOptions
{
    public const string Section = "Webhooks";

    /// <summary>Accept http://127.0.0.1 and http://localhost URLs besides https:// (tests, a receiver on the same machine).</summary>
    public bool AllowInsecureLoopback { get; set; }

    /// <summary>Attempts per delivery before it is given up (the admin may still replay it).</summary>
    public int MaxAttempts { get; set; } = 8;

    /// <summary>Wait after the n-th failed attempt: base × 2^(n−1), capped at <see cref="RetryMaxSeconds"/> (defaults: about 2 h over 8 attempts).</summary>
    public double RetryBaseSeconds { get; set; } = 60;

    public double RetryMaxSeconds { get; set; } = 3600;

    /// <summary>A receiver gets this long to answer one delivery.</summary>
    public double TimeoutSeconds { get; set; } = 10;

    /// <summary>How often an idle worker looks for due deliveries (an enqueue on this node wakes it at once).</summary>
    public int PollMilliseconds { get; set; } = 1000;

    /// <summary>Deliveries sent at once by this node.</summary>
    public int Workers { get; set; } = 2;

    /// <summary>Send nothing from this node (it still enqueues).</summary>
    public bool Disabled { get; set; }

    /// <summary>Base of the links in payloads (e.g. https://classroom.example.cn); relative links when empty.</summary>
    public string? PublicBaseUrl { get; set; }

    public TimeSpan Backoff(int attempts)
    {
        var seconds = RetryBaseSeconds * Math.Pow(2, Math.Max(0, attempts - 1));
        return TimeSpan.FromSeconds(Math.Min(seconds, RetryMaxSeconds));
    }

    /// <summary>How long a claimed delivery is held: a worker that dies lets it go after this.</summary>
    public TimeSpan Lease => TimeSpan.FromSeconds(TimeoutSeconds + 30);
}
