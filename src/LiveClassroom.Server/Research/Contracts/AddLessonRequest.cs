namespace LiveClassroom.Server.Research.Contracts;

/// <summary>A lesson to observe: a library recording, a live class, or both.</summary>
public sealed record AddLessonRequest(string? Title, string? Chapter, string? TeacherName, Guid? TeacherId, Guid? RecordingId, Guid? LiveClassId);
