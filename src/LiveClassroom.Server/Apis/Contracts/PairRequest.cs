namespace LiveClassroom.Server.Apis.Contracts;

public sealed record PairRequest(string? Code, Guid? ClassroomId, string? Name);
