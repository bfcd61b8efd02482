namespace LiveClassroom.Server.Research;

/// <summary>A lesson under observation: a library recording, or a live class whose recording is attached later.</summary>
public sealed record LessonRecord(
    Guid Id, Guid SessionId, string Title, string Chapter, string TeacherName, Guid? TeacherId, Guid? RecordingId, Guid? LiveClassId);
