namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The people who may take a role in an alliance at an organisation.</summary>
public sealed record AllianceCandidateList(IReadOnlyList<AllianceCandidate> Items);
