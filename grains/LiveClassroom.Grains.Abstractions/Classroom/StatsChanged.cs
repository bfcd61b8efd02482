namespace LiveClassroom.Grains.Classroom;

/// <summary>Payload of StatsChanged: the stats just reported.</summary>
[GenerateSerializer, Immutable, Alias("lc.StatsChanged")]
public sealed record StatsChanged(IReadOnlyList<ParticipantStats> Stats);
