namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>Body of <c>POST …/lessons/{lessonId}/evaluation</c>: a rating 1–5 and an optional comment.</summary>
public sealed record EvaluationRequest(int? Rating, string? Comment);
