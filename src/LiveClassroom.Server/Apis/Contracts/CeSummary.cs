namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A teacher's year: hours earned against the requirement, by kind, with every credit and the courses.</summary>
public sealed record CeSummary(Guid PersonId, string Name, Guid SchoolId, string SchoolName, int Year, CeRequirementView Requirement,
    int EarnedMinutes, double EarnedHours, double ExpectedHours, bool Behind, IReadOnlyList<CeKindTotal> ByKind,
    IReadOnlyList<CeCreditView> Credits, IReadOnlyList<CeCourseView> Courses, bool RegistrationOpen, DateTimeOffset RegistrationClosesAt);
