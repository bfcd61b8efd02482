namespace LiveClassroom.Grains.Pairing;

/// <summary>One rural classroom's rating (1–5) of one lesson.</summary>
[GenerateSerializer, Immutable, Alias("lc.LessonRating")]
public sealed record LessonRating(string ClassroomId, string RaterId, string RaterName, int Rating, string? Comment, DateTimeOffset At);
