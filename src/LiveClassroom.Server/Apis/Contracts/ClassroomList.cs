namespace LiveClassroom.Server.Apis.Contracts;

public sealed record ClassroomList(IReadOnlyList<ClassroomView> Classrooms);
