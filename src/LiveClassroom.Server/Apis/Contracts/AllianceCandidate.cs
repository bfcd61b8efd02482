namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A person who may take a role in an alliance at an organisation: teachers of its schools, and its researchers (experts only).</summary>
public sealed record AllianceCandidate(Guid PersonId, string Name, string? SchoolName, bool IsTeacher);
