namespace LiveClassroom.Server.Research;

public sealed record SpeakingTurn(Guid PersonId, DateTimeOffset StartedAt, DateTimeOffset EndedAt, string EndedBy);
