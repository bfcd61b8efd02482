namespace LiveClassroom.Server.Persistence;

/// <summary>A created pairing request, or (with <see cref="RetryAfter"/> set and nothing created) the wait its address must sit out.</summary>
public sealed record PairingRequestCreation(Guid Id, string Code, TimeSpan? RetryAfter);
