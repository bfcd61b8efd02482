namespace LiveClassroom.Server.Apis.Contracts;

public sealed record LoginRequest(string? Username, string? Password);
