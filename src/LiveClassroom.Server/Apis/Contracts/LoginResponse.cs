namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>
/// A token and who it is for. <see cref="AccountStatus"/> <c>pending</c> or <c>rejected</c>, or
/// <see cref="MustChangePassword"/>, mean the token reaches only the registration status and password endpoints
/// (docs/API-PLATFORM.md, "Restricted tokens").
/// </summary>
public sealed record LoginResponse(string Token, DateTimeOffset ExpiresAt, PersonView Person, string AccountStatus = "active", bool MustChangePassword = false);
