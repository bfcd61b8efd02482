using System.Collections.Concurrent;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;

namespace LiveClassroom.Server.Tests.Grains;

/// <summary>What a node's rooms told the hub.</summary>
internal sealed class RecordingRoomEventSink : IRoomEventSink
{
    public ConcurrentQueue<RoomEvent> Events { get; } = new();

    public ConcurrentQueue<(GrainKey Room, DeactivationReason Reason)> Deactivations { get; } = new();

    public Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        Events.Enqueue(roomEvent);
        return Task.CompletedTask;
    }

    public Task OnRoomDeactivatedAsync(GrainKey room, DeactivationReason reason, CancellationToken ct)
    {
        Deactivations.Enqueue((room, reason));
        return Task.CompletedTask;
    }
}
