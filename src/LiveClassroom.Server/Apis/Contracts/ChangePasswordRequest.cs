namespace LiveClassroom.Server.Apis.Contracts;

public sealed record ChangePasswordRequest(string? CurrentPassword, string? NewPassword);
