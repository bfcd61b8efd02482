namespace LiveClassroom.Grains.Classroom;

/// <summary>Payload of StatsChanged: the stats just reported.</summary>
public sealed record StatsChanged(IReadOnlyList<ParticipantStats> Stats);
