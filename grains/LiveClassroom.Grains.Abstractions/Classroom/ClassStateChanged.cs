namespace LiveClassroom.Grains.Classroom;

/// <summary>Payload of ClassOpened / ClassEnded.</summary>
public sealed record ClassStateChanged(ClassState State, DateTimeOffset At);
