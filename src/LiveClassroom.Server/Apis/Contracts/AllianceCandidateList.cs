namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The first matches of a picker search, best first; <c>More</c> when there were more than were returned (narrow the term).</summary>
public sealed record AllianceCandidateList(IReadOnlyList<AllianceCandidate> Items, bool More);
