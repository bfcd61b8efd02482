namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A member who holds the lead-teacher role at a school, with that school.</summary>
public sealed record AllianceTeacherOption(Guid PersonId, string Name, Guid SchoolId, string SchoolName);
