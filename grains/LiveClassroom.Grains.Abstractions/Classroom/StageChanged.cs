namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Payload of StageChanged: every occupied seat, and the rural participants of the seated classrooms as they are now
/// (a rural classroom's page is not sent other classrooms' presence while they are off stage; docs/HUB.md).
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.StageChanged")]
public sealed record StageChanged(IReadOnlyList<StageSeat> Stage, IReadOnlyList<ParticipantView>? Participants = null);
