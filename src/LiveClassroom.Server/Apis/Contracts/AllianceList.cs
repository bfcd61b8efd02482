namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The alliances in the caller's scope and those they belong to.</summary>
public sealed record AllianceList(IReadOnlyList<AllianceSummary> Items);
