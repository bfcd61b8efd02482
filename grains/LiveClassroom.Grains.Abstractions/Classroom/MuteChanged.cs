namespace LiveClassroom.Grains.Classroom;

/// <summary>Payload of MuteChanged: the lead muted or unmuted a classroom's microphone.</summary>
[GenerateSerializer, Immutable, Alias("lc.MuteChanged")]
public sealed record MuteChanged(string ClassroomId, bool Muted);
