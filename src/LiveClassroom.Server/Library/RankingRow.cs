namespace LiveClassroom.Server.Library;

/// <summary>One entry of the "best lessons" ranking.</summary>
public sealed class RankingRow
{
    public Guid Id { get; init; }
    public string Title { get; init; } = "";
    public string? Subject { get; init; }
    public string? Grade { get; init; }
    public string? TeacherName { get; init; }
    public string? SchoolName { get; init; }
    public long Views { get; init; }
    public double AverageCompletion { get; init; }
    public double? RatingAverage { get; init; }
    public long RatingCount { get; init; }
    public double Score { get; init; }
}
