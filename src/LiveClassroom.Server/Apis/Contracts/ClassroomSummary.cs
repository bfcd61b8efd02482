namespace LiveClassroom.Server.Apis.Contracts;

public sealed record ClassroomSummary(Guid Id, string Name);
