namespace LiveClassroom.Grains.Pairing;

/// <summary>The ratings of one lesson and their average (null when none).</summary>
[GenerateSerializer, Immutable, Alias("lc.LessonEvaluation")]
public sealed record LessonEvaluation(string LessonId, int Count, double? Average, IReadOnlyList<LessonRating> Ratings);
