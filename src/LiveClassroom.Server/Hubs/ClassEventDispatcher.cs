using System.Threading.Channels;
using Microsoft.AspNetCore.SignalR;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Delivers class events to the class's SignalR group in the order the grain produced them. One unbounded
/// channel per class with a single reader: a send to a slow connection delays only that class, and two
/// events of one class never overtake each other. Per class: idle (no channel) → pumping → completed
/// (class closed or moved; a later event starts a new pump).
/// </summary>
public sealed partial class ClassEventDispatcher(
    IHubContext<ClassroomHub, IClassroomClient> hub, ILogger<ClassEventDispatcher> logger) : IAsyncDisposable
{
    private readonly Dictionary<string, Room> _rooms = [];
    private readonly Lock _lock = new();
    private bool _disposed;

    public static string GroupName(string classId) => "class:" + classId;

    /// <summary>Queues an event for its class's group; never blocks the grain.</summary>
    public void Publish(RoomEventMessage message)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }
            if (!_rooms.TryGetValue(message.ClassId, out var room))
            {
                room = new Room(Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true }));
                room.Pump = Task.Run(() => PumpAsync(message.ClassId, room.Queue.Reader));
                _rooms[message.ClassId] = room;
            }
            var group = hub.Clients.Group(GroupName(message.ClassId));
            room.Queue.Writer.TryWrite(() => group.RoomEvent(message));
        }
    }

    /// <summary>
    /// Queues a final action for the class behind its pending events (e.g. telling clients the room moved),
    /// then retires the class's channel.
    /// </summary>
    public Task CompleteAsync(string classId, Func<Task>? last = null)
    {
        Room? room;
        lock (_lock)
        {
            if (!_rooms.Remove(classId, out room))
            {
                return last is null ? Task.CompletedTask : last();
            }
            if (last is not null)
            {
                room.Queue.Writer.TryWrite(last);
            }
            room.Queue.Writer.TryComplete();
        }
        return room.Pump ?? Task.CompletedTask;
    }

    private async Task PumpAsync(string classId, ChannelReader<Func<Task>> reader)
    {
        await foreach (var send in reader.ReadAllAsync())
        {
            try
            {
                await send();
            }
            catch (Exception ex)
            {
                // A failed group send must not stop the class's later events.
                LogSendFailed(logger, classId, ex);
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
            foreach (var room in _rooms.Values)
            {
                room.Queue.Writer.TryComplete();
                if (room.Pump is not null)
                {
                    pumps.Add(room.Pump);
                }
            }
            _rooms.Clear();
        }
        await Task.WhenAll(pumps).WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not deliver an event of class {ClassId}")]
    private static partial void LogSendFailed(ILogger logger, string classId, Exception ex);

    private sealed class Room(Channel<Func<Task>> queue)
    {
        public Channel<Func<Task>> Queue { get; } = queue;

        public Task? Pump { get; set; }
    }
}
