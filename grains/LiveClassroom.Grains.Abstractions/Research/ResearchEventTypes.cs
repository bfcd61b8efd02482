namespace LiveClassroom.Grains.Research;

/// <summary><see cref="Ports.RoomEvent.Type"/> values of a research session; every payload is a <see cref="ResearchSessionSnapshot"/>.</summary>
public static class ResearchEventTypes
{
    public const string SessionScheduled = "SessionScheduled";
    public const string SessionStarted = "SessionStarted";
    public const string SessionEnded = "SessionEnded";
    public const string ParticipantJoined = "ParticipantJoined";
    public const string ParticipantLeft = "ParticipantLeft";
}
