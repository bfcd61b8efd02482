namespace LiveClassroom.Grains.Classroom;

/// <summary>Payload of MuteChanged: the lead muted or unmuted a classroom's microphone.</summary>
public sealed record MuteChanged(string ClassroomId, bool Muted);
