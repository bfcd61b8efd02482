namespace LiveClassroom.Grains.Ports;

/// <summary>A grain's stored state: <paramref name="StateJson"/> is null when never written (version 0).</summary>
public sealed record GrainStateRecord(string? StateJson, long Version, long Epoch);
