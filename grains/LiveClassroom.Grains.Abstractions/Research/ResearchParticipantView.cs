namespace LiveClassroom.Grains.Research;

/// <summary>A present person. <see cref="Connected"/> is false during the reconnect grace period.</summary>
[GenerateSerializer, Immutable, Alias("lc.ResearchParticipantView")]
public sealed record ResearchParticipantView(Guid PersonId, string DisplayName, string Role, DateTimeOffset JoinedAt, bool Connected);
