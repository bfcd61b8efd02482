namespace LiveClassroom.Server.Research.Contracts;

public sealed record PlaybackRequest(Guid? RecordingId, bool? Playing, double? PositionSeconds);
