namespace LiveClassroom.Server.Hubs;

/// <summary>The wire envelope of one class event: the grain's per-class sequence number, the event type and its payload.</summary>
public sealed record RoomEventMessage(string ClassId, long Seq, string Type, DateTimeOffset At, object? Payload);
