namespace LiveClassroom.Server.Research.Contracts;

public sealed record SegmentInput(string? Kind, string? Title, int? PlannedMinutes);
