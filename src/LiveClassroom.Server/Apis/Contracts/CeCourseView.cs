namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A required course (pushed by 学段/学科) or an elective (a school's topic); <c>Enrolled</c> for the caller.</summary>
public sealed record CeCourseView(Guid Id, Guid OrganisationId, string OrganisationName, int Year, string Kind, string Title, string? Topic,
    string? Stage, string? Subject, int Hours, bool Enrolled);
