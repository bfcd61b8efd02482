using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Server.Grains;

namespace LiveClassroom.Server.Research;

/// <summary>
/// Records what research grains report (session status, segment runs, presences, speaking turns) in the research
/// tables, from inside the grain's turn: by the time a grain call returns, its facts are in the database.
/// </summary>
public sealed class ResearchFactSink(ResearchStore store) : IRoomOwnerEventSink
{
    public async Task OnRoomEventAsync(RoomEvent roomEvent, CancellationToken ct)
    {
        if (roomEvent.Room.Kind == GrainKinds.Research && roomEvent.Payload is ResearchLiveChanged { Facts.Count: > 0 } changed
            && Guid.TryParse(roomEvent.Room.Id, out var sessionId))
        {
            await store.RecordEventsAsync(sessionId, changed.Facts, ct);
        }
    }

}
