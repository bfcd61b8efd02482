namespace LiveClassroom.Server.Apis.Contracts;

public sealed record RegistrationList(IReadOnlyList<RegistrationView> Items);
