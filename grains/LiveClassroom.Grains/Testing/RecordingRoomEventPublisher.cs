using System.Collections.Concurrent;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Testing;

/// <summary>Keeps every published event and deactivation notice, in arrival order.</summary>
public sealed class RecordingRoomEventPublisher : IRoomEventPublisher
{
    private readonly ConcurrentQueue<RoomEvent> _events = new();
    private readonly ConcurrentQueue<(GrainKey Room, DeactivationReason Reason)> _deactivations = new();

    public IReadOnlyList<RoomEvent> Events => [.. _events];

    public IReadOnlyList<(GrainKey Room, DeactivationReason Reason)> Deactivations => [.. _deactivations];

    public IReadOnlyList<RoomEvent> EventsOf(GrainKey room) => [.. _events.Where(e => e.Room == room)];

    public Task PublishAsync(RoomEvent roomEvent, CancellationToken ct = default)
    {
        _events.Enqueue(roomEvent);
        return Task.CompletedTask;
    }

    public Task RoomDeactivatedAsync(GrainKey room, DeactivationReason reason, CancellationToken ct = default)
    {
        _deactivations.Enqueue((room, reason));
        return Task.CompletedTask;
    }
}
