namespace LiveClassroom.Grains.Pairing;

/// <summary><see cref="Ports.RoomEvent.Type"/> values of a pairing.</summary>
public static class PairingEventTypes
{
    /// <summary>Payload: <see cref="PairingSnapshot"/>.</summary>
    public const string PairingDefined = "PairingDefined";

    /// <summary>Payload: <see cref="PairingSnapshot"/>.</summary>
    public const string TimetableChanged = "TimetableChanged";

    /// <summary>Payload: <see cref="Lesson"/>.</summary>
    public const string LessonChanged = "LessonChanged";

    /// <summary>Payload: <see cref="LessonEvaluation"/>.</summary>
    public const string LessonRated = "LessonRated";
}
