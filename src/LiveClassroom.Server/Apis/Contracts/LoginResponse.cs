namespace LiveClassroom.Server.Apis.Contracts;

public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, PersonView Person);
