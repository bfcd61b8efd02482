namespace LiveClassroom.Server.Persistence;

public sealed record ClassroomRecord(Guid Id, Guid SchoolId, string Name);
