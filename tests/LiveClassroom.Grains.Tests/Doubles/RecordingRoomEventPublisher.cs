using System.Collections.Concurrent;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Tests.Doubles;

/// <summary>Keeps every published event, in arrival order (from every silo of the test cluster).</summary>
public sealed class RecordingRoomEventPublisher : IRoomEventPublisher
{
    private readonly ConcurrentQueue<RoomEvent> _events = new();

    public IReadOnlyList<RoomEvent> Events => [.. _events];

    public IReadOnlyList<RoomEvent> EventsOf(GrainKey room) => [.. _events.Where(e => e.Room == room)];

    private readonly ConcurrentQueue<GrainKey> _activations = new();

    /// <summary>Every live room activation reported, in order.</summary>
    public IReadOnlyList<GrainKey> LiveActivations => [.. _activations];

    public Task LiveRoomActivatedAsync(GrainKey room, CancellationToken ct = default)
    {
        _activations.Enqueue(room);
        return Task.CompletedTask;
    }

    public Task PublishAsync(RoomEvent roomEvent, CancellationToken ct = default)
    {
        _events.Enqueue(roomEvent);
        return Task.CompletedTask;
    }
}
