using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Hosting;

/// <summary>
/// A grain whose changes are events: <see cref="Emit"/> numbers an event (in the state, so numbering survives moves),
/// <see cref="CommitAsync"/> persists the state and only then publishes the events in order.
/// </summary>
internal abstract class RoomGrain<TState> : Grain<TState> where TState : RoomState, new()
{
    private readonly List<RoomEvent> _pending = [];

    protected void Emit(string type, object payload)
    {
        State.Sequence++;
        _pending.Add(new RoomEvent(Key, State.Sequence, Time.GetUtcNow(), type, payload));
    }

    protected async Task CommitAsync()
    {
        RoomEvent[] events;
        try
        {
            await WriteStateAsync();
        }
        finally
        {
            events = [.. _pending];
            _pending.Clear();
        }
        foreach (var e in events)
        {
            try
            {
                await Services.Events.PublishAsync(e);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                GrainHostLog.PublishFailed(Logger, ex, Key);
            }
        }
    }
}
