namespace LiveClassroom.Grains.Classroom;

/// <summary>Payload of ClassOpened / ClassEnded.</summary>
[GenerateSerializer, Immutable, Alias("lc.ClassStateChanged")]
public sealed record ClassStateChanged(ClassState State, DateTimeOffset At);
