namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A research session the alliance scheduled, with its lessons.</summary>
public sealed record AllianceSessionView(Guid Id, string Title, string Status, DateTimeOffset ScheduledStart, IReadOnlyList<AllianceLessonRef> Lessons);
