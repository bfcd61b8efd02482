namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The levels where the caller may propose an alliance, nearest first.</summary>
public sealed record AllianceLevelList(IReadOnlyList<AllianceLevel> Items);
