namespace LiveClassroom.Server.Persistence;

/// <summary>What login needs about a person; the hash never leaves the server.</summary>
public sealed record PersonCredentials(Guid Id, string PasswordHash, bool IsActive);
