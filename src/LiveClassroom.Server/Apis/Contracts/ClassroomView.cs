namespace LiveClassroom.Server.Apis.Contracts;

public sealed record ClassroomView(Guid Id, string Name, Guid SchoolId, int ActiveDevices);
