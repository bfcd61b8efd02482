namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A lesson of an alliance's research session (its report is at /research/{session}/lessons/{lesson}/report).</summary>
public sealed record AllianceLessonRef(Guid Id, string Title);
