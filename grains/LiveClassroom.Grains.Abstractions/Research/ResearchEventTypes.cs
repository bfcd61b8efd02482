namespace LiveClassroom.Grains.Research;

/// <summary>
/// <see cref="Ports.RoomEvent.Type"/> values of a research session. Every payload is a <see cref="ResearchSessionSnapshot"/>,
/// except <see cref="LiveChanged"/> (agenda, floor, presence, playback), whose payload is a <see cref="ResearchLiveChanged"/>.
/// </summary>
public static class ResearchEventTypes
{
    public const string SessionScheduled = "SessionScheduled";
    public const string SessionStarted = "SessionStarted";
    public const string SessionEnded = "SessionEnded";
    public const string ParticipantJoined = "ParticipantJoined";
    public const string ParticipantLeft = "ParticipantLeft";
    public const string LiveChanged = "LiveChanged";
}
