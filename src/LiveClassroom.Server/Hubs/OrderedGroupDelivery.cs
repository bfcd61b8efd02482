using System.Threading.Channels;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Delivers each SignalR group's sends in the order they were queued, for every hub. One unbounded channel per
/// group with a single reader: a send to a slow connection delays only that group, and two sends of one group
/// never overtake each other. Per group: idle (no channel) → pumping → completed (room closed or moved; a later
/// send starts a new pump).
/// </summary>
public sealed partial class OrderedGroupDelivery(ILogger<OrderedGroupDelivery> logger) : IAsyncDisposable
{
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
                pump = new Pump(Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true }));
                pump.Running = Task.Run(() => PumpAsync(group, pump.Queue.Reader));
                _groups[group] = pump;
            }
            pump.Queue.Writer.TryWrite(send);
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
                pump.Queue.Writer.TryWrite(last);
            }
            pump.Queue.Writer.TryComplete();
        }
        return pump.Running ?? Task.CompletedTask;
    }

    private async Task PumpAsync(string group, ChannelReader<Func<Task>> reader)
    {
        await foreach (var send in reader.ReadAllAsync())
        {
            try
            {
                await send();
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

    private sealed class Pump(Channel<Func<Task>> queue)
    {
        public Channel<Func<Task>> Queue { get; } = queue;

        public Task? Running { get; set; }
    }
}
