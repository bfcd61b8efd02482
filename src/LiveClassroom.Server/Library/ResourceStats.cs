namespace LiveClassroom.Server.Library;

/// <summary>Counters shown with a resource.</summary>
public sealed class ResourceStats
{
    public long Views { get; init; }
    public double AverageCompletion { get; init; }
    public double? RatingAverage { get; init; }
    public long RatingCount { get; init; }
    public int? MyRating { get; init; }
}
