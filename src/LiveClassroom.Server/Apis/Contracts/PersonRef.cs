namespace LiveClassroom.Server.Apis.Contracts;

public sealed record PersonRef(Guid Id, string DisplayName);
