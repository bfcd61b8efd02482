using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using LiveClassroom.Server.Operations;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Delivers each SignalR group's sends in the order they were queued, for every hub. One unbounded channel per
/// group with a single reader: a send to a slow connection delays only that group, and two sends of one group
/// never overtake each other. Per group: idle (no channel) → pumping → completed (room closed or moved; a later
/// send starts a new pump).
/// Each send's fan-out latency — from the event reaching this node (queued here) until SignalR has written it to
/// every connection of the group on this node — goes to the <c>liveclassroom.rooms.fanout.duration</c> histogram, and the
/// send alone (the pump's busy time, without the wait behind the group's earlier sends) to
/// <c>liveclassroom.rooms.fanout.send.duration</c>.
/// </summary>
public sealed partial class OrderedGroupDelivery(ILogger<OrderedGroupDelivery> logger, IMeterFactory meters) : IAsyncDisposable
{
    private readonly Histogram<double> _fanout = meters.Create(ServerMetrics.MeterName).CreateHistogram("liveclassroom.rooms.fanout.duration", "s",
        "Room event fan-out on this node: from the event's arrival until it was written to every connection of its group, by hub",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private readonly Histogram<double> _send = meters.Create(ServerMetrics.MeterName).CreateHistogram("liveclassroom.rooms.fanout.send.duration", "s",
        "Room event fan-out on this node: the send alone (SignalR writing it to every connection of its group), by hub",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });

    private readonly Dictionary<string, Pump> _groups = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    /// <summary>Queues a send for <paramref name="group"/>; never blocks the grain that produced it.</summary>
    public void Enqueue(string group, Func<Task> send)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            if (!_groups.TryGetValue(group, out var pump))
            {
                pump = new Pump(Channel.CreateUnbounded<Send>(new UnboundedChannelOptions { SingleReader = true }));
                pump.Running = Task.Run(() => PumpAsync(group, pump.Queue.Reader));
                _groups[group] = pump;
            }
            pump.Queue.Writer.TryWrite(new Send(send, Stopwatch.GetTimestamp()));
        }
    }

    /// <summary>
    /// Queues a final action behind the group's pending sends (e.g. telling clients the room moved), then retires
    /// the group's channel.
    /// </summary>
    public Task CompleteAsync(string group, Func<Task>? last = null)
    {
        Pump? pump;
        lock (_lock)
        {
            if (!_groups.Remove(group, out pump))
            {
                return last is null ? Task.CompletedTask : last();
            }
            if (last is not null)
            {
                pump.Queue.Writer.TryWrite(new Send(last, 0));
            }
            pump.Queue.Writer.TryComplete();
        }
        return pump.Running ?? Task.CompletedTask;
    }

    private async Task PumpAsync(string group, ChannelReader<Send> reader)
    {
        var hub = new KeyValuePair<string, object?>("hub", group[..Math.Max(0, group.IndexOf(':', StringComparison.Ordinal))]);
        await foreach (var send in reader.ReadAllAsync())
        {
            try
            {
                var started = Stopwatch.GetTimestamp();
                await send.Run();
                if (send.Queued != 0)
                {
                    var now = Stopwatch.GetTimestamp();
                    _fanout.Record(Stopwatch.GetElapsedTime(send.Queued, now).TotalSeconds, hub);
                    _send.Record(Stopwatch.GetElapsedTime(started, now).TotalSeconds, hub);
                }
            }
            catch (Exception ex)
            {
                // A failed group send must not stop the group's later sends.
                LogSendFailed(logger, group, ex);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Task> pumps;
        lock (_lock)
        {
            _disposed = true;
            pumps = [];
            foreach (var pump in _groups.Values)
            {
                pump.Queue.Writer.TryComplete();
                if (pump.Running is not null)
                {
                    pumps.Add(pump.Running);
                }
            }
            _groups.Clear();
        }
        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver an event to group {Group}")]
    private static partial void LogSendFailed(ILogger logger, string group, Exception ex);

    /// <summary>One queued send; <see cref="Queued"/> is its Stopwatch timestamp, or 0 for a group's closing action (not an event).</summary>
    private readonly record struct Send(Func<Task> Run, long Queued);

    private sealed class Pump(Channel<Send> queue)
    {
        public Channel<Send> Queue { get; } = queue;

        public Task? Running { get; set; }
    }
}
