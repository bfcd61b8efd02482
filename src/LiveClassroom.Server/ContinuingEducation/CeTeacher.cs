namespace LiveClassroom.Server.ContinuingEducation;

/// <summary>A teacher (lead or assistant role at a school) whose hours are counted.</summary>
public sealed record CeTeacher(Guid PersonId, string Name, Guid SchoolId, string SchoolName, string? Stage, string? Subject);
