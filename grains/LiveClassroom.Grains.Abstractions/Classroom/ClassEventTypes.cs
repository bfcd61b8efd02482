namespace LiveClassroom.Grains.Classroom;

/// <summary><see cref="Ports.RoomEvent.Type"/> values of a class, with the payload record each carries.</summary>
public static class ClassEventTypes
{
    /// <summary>Payload: <see cref="ClassSnapshot"/> after setup.</summary>
    public const string ClassScheduled = "ClassScheduled";

    /// <summary>Payload: <see cref="ClassStateChanged"/>.</summary>
    public const string ClassOpened = "ClassOpened";

    /// <summary>Payload: <see cref="ClassStateChanged"/>.</summary>
    public const string ClassEnded = "ClassEnded";

    /// <summary>Payload: <see cref="ParticipantView"/> (first join or rejoin).</summary>
    public const string ParticipantJoined = "ParticipantJoined";

    /// <summary>Payload: <see cref="ParticipantView"/> (connection now Reconnecting or Left).</summary>
    public const string ConnectionChanged = "ConnectionChanged";

    /// <summary>Payload: <see cref="ParticipantView"/> (media connected: peer id and published tracks).</summary>
    public const string MediaChanged = "MediaChanged";

    /// <summary>Payload: <see cref="MediaNodeLost"/> (their media node died: negotiate a new peer connection now).</summary>
    public const string MediaNodeLost = "MediaNodeLost";

    /// <summary>Payload: <see cref="StatsChanged"/>.</summary>
    public const string StatsChanged = "StatsChanged";

    /// <summary>Payload: <see cref="HandQueueChanged"/>.</summary>
    public const string HandQueueChanged = "HandQueueChanged";

    /// <summary>Payload: <see cref="StageChanged"/>.</summary>
    public const string StageChanged = "StageChanged";

    /// <summary>Payload: <see cref="MuteChanged"/>.</summary>
    public const string MuteChanged = "MuteChanged";

    /// <summary>Payload: <see cref="Classroom.ChatMessage"/>.</summary>
    public const string ChatMessage = "ChatMessage";

    /// <summary>Payload: <see cref="Classroom.ChatMessage"/> (pinned flag changed).</summary>
    public const string MessagePinned = "MessagePinned";

    /// <summary>Payload: <see cref="Classroom.ChatMessage"/> (now dismissed).</summary>
    public const string MessageDismissed = "MessageDismissed";
}
