namespace LiveClassroom.Grains.Classroom;

/// <summary>Payload of StageChanged: every occupied seat.</summary>
public sealed record StageChanged(IReadOnlyList<StageSeat> Stage);
