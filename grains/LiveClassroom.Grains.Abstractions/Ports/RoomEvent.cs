namespace LiveClassroom.Grains.Ports;

/// <summary>
/// One change in a room. <paramref name="Sequence"/> starts at 1 and rises by exactly one per event of that room,
/// across deactivations and node moves (it is part of the persisted state). <paramref name="Type"/> is one of
/// <see cref="Classroom.ClassEventTypes"/> (or the pairing/research event types); <paramref name="Payload"/> is the
/// matching record from the same namespace, serialised by its runtime type.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.RoomEvent")]
public sealed record RoomEvent(GrainKey Room, long Sequence, DateTimeOffset At, string Type, object Payload);
