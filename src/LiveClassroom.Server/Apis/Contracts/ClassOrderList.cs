namespace LiveClassroom.Server.Apis.Contracts;

public sealed record ClassOrderList(IReadOnlyList<ClassOrderView> Items);
