namespace LiveClassroom.Server.Apis.Contracts;

public sealed record UpdatePersonRequest(string? DisplayName, bool? IsActive, string? Password);
