using HdrHistogram;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// While an edge kill is measured: every class event message the classrooms receive, and each event's lag — from the
/// time the class grain stamped it (<c>at</c>, the server's wall clock; same machine) to its handling here, hub
/// fan-out, transport and this process's own receive loop included. Shared by all classrooms (thread-safe).
/// </summary>
internal sealed class EventLag
{
    private readonly Lock _gate = new();
    private readonly LongHistogram _lag = new(1, 600_000_000, 2);
    private readonly LongHistogram _mediaChangedLag = new(1, 600_000_000, 2);
    private long _messages;
    private long _events;
    private int _sampleChars;

    public long Messages => Interlocked.Read(ref _messages);

    public long Events => Interlocked.Read(ref _events);

    /// <summary>The JSON length of one MediaChanged event as received (one sample: its size, not a total).</summary>
    public int MediaChangedChars => Volatile.Read(ref _sampleChars);

    public bool WantsSample => Volatile.Read(ref _sampleChars) == 0;

    public void Sample(int chars) => Volatile.Write(ref _sampleChars, chars);

    public void Message(int events)
    {
        Interlocked.Increment(ref _messages);
        Interlocked.Add(ref _events, events);
    }

    public void Event(string? type, DateTimeOffset at)
    {
        var micros = Math.Clamp((long)((DateTimeOffset.UtcNow - at).TotalMilliseconds * 1000), 1, 600_000_000);
        lock (_gate)
        {
            _lag.RecordValue(micros);
            if (type == "MediaChanged")
            {
                _mediaChangedLag.RecordValue(micros);
            }
        }
    }

    /// <summary>"p50 / p90 / max s" of every event's lag, and of MediaChanged alone.</summary>
    public string Describe()
    {
        lock (_gate)
        {
            return $"all events {Seconds(_lag)}; MediaChanged {Seconds(_mediaChangedLag)}";
        }
    }

    private static string Seconds(LongHistogram h) => h.TotalCount == 0
        ? "none"
        : FormattableString.Invariant($"p50 {h.GetValueAtPercentile(50) / 1e6:F2} / p90 {h.GetValueAtPercentile(90) / 1e6:F2} / max {h.GetMaxValue() / 1e6:F2} s ({h.TotalCount})");
}
