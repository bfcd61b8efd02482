namespace LiveClassroom.Grains.Research;

/// <summary>Who holds the floor, since when, and how long the turn may still last.</summary>
[GenerateSerializer, Immutable, Alias("lc.SpeakerView")]
public sealed record SpeakerView(Guid PersonId, string DisplayName, DateTimeOffset StartedAt, DateTimeOffset EndsAt, double RemainingSeconds);
