namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>An account made by an import, with its one-time password (shown once, never stored in clear).</summary>
public sealed record ImportedTeacher(int Line, Guid Id, string Username, string DisplayName, string Role, string OneTimePassword);
