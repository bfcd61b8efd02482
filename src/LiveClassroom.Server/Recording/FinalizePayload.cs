namespace LiveClassroom.Server.Recording;

/// <summary>Payload of a <c>recording.finalize</c> job.</summary>
public sealed record FinalizePayload(Guid RecordingId);
