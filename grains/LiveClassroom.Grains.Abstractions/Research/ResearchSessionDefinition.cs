using LiveClassroom.Grains.Pairing;

namespace LiveClassroom.Grains.Research;

/// <summary>What a research session is: title, host, when, and who is invited.</summary>
[GenerateSerializer, Immutable, Alias("lc.ResearchSessionDefinition")]
public sealed record ResearchSessionDefinition(
    string Title,
    PersonRef Host,
    DateTimeOffset ScheduledStart,
    int DurationMinutes,
    IReadOnlyList<PersonRef> Invited);
