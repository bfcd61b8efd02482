namespace LiveClassroom.Server.Research;

/// <summary>One criterion of one observer's score sheet for one lesson.</summary>
public sealed record ScoreEntry(Guid ObserverId, string CriterionKey, double Score, DateTimeOffset UpdatedAt);
