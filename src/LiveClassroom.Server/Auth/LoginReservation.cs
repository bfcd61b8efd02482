namespace LiveClassroom.Server.Auth;

/// <summary>A reserved login attempt (<see cref="AttemptId"/>), or the wait before one may be made.</summary>
public sealed record LoginReservation(long? AttemptId, TimeSpan? RetryAfter);
