namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A wanted weekly period: <c>Day</c> 1 (Monday) … 7 (Sunday), <c>Start</c> "HH:mm" school time, its length.</summary>
public sealed record ClassOrderSlot(int Day, string? Start, int DurationMinutes);
