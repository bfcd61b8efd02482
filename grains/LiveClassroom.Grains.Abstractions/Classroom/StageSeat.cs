namespace LiveClassroom.Grains.Classroom;

/// <summary>Stage seat <paramref name="Seat"/> (1-based) is taken by <paramref name="ClassroomId"/>; it feeds slots <c>stage{Seat}</c> and <c>stage{Seat}-audio</c>.</summary>
[GenerateSerializer, Immutable, Alias("lc.StageSeat")]
public sealed record StageSeat(int Seat, string ClassroomId);
