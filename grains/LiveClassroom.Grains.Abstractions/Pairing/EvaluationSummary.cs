namespace LiveClassroom.Grains.Pairing;

/// <summary>The term's evaluation: every rated lesson and the average over all ratings of the term.</summary>
[GenerateSerializer, Immutable, Alias("lc.EvaluationSummary")]
public sealed record EvaluationSummary(
    string? TermName,
    int LessonsRated,
    int RatingCount,
    double? TermAverage,
    IReadOnlyList<LessonEvaluation> Lessons);
