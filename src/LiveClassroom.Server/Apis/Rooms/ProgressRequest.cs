namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>Body of <c>POST …/lessons/{lessonId}/progress</c>: the chapter (章节) taught.</summary>
public sealed record ProgressRequest(string? Chapter);
