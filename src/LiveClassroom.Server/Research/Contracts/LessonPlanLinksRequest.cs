namespace LiveClassroom.Server.Research.Contracts;

/// <summary>Links a plan to the session where it was discussed and the lesson recording that followed.</summary>
public sealed record LessonPlanLinksRequest(Guid? SessionId, Guid? RecordingId);
