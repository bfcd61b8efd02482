namespace LiveClassroom.Server.ContinuingEducation;

/// <summary>One piece of verified participation worth <see cref="Minutes"/>: the key (person, kind, id) is credited once.</summary>
public sealed record CeEvidence(Guid PersonId, string Kind, string EvidenceId, DateOnly Date, int Minutes);
