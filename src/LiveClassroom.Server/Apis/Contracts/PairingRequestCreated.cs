namespace LiveClassroom.Server.Apis.Contracts;

public sealed record PairingRequestCreated(Guid RequestId, string Code, string PollToken, DateTimeOffset ExpiresAt);
