namespace LiveClassroom.Server.Research.Contracts;

public sealed record AttachRecordingRequest(Guid? RecordingId);
