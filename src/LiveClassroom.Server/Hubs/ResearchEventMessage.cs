namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The wire envelope of one research event: the grain's per-session sequence number, the type (<c>LiveChanged</c>)
/// and the snapshot as participants see it (observers hidden, counted).
/// </summary>
public sealed record ResearchEventMessage(Guid SessionId, long Seq, string Type, DateTimeOffset At, object? Payload);
