namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A classroom of a member school.</summary>
public sealed record AllianceClassroomRef(Guid Id, string Name, Guid SchoolId, string SchoolName, bool IsRural);
