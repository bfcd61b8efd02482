namespace LiveClassroom.Server.Research;

/// <summary>What a media ticket grants: one person may play one recording within one session until <paramref name="ExpiresAt"/>.</summary>
public sealed record MediaTicket(Guid PersonId, Guid SessionId, Guid RecordingId, DateTimeOffset ExpiresAt);
