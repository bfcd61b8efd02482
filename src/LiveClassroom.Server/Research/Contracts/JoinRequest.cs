namespace LiveClassroom.Server.Research.Contracts;

/// <summary>The connection joining; a reconnect sends a new one and keeps the same presence.</summary>
public sealed record JoinRequest(string? ConnectionId);
