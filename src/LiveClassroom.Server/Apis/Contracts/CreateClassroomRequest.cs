namespace LiveClassroom.Server.Apis.Contracts;

public sealed record CreateClassroomRequest(string? Name);
