namespace LiveClassroom.Grains.Classroom;

/// <summary>Payload of StageChanged: every occupied seat.</summary>
[GenerateSerializer, Immutable, Alias("lc.StageChanged")]
public sealed record StageChanged(IReadOnlyList<StageSeat> Stage);
