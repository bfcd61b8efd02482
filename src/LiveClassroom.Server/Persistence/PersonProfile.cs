namespace LiveClassroom.Server.Persistence;

/// <summary>The columns of a person that registration and teacher import fill (migration 0009).</summary>
public sealed record PersonProfile(
    string AccountStatus, bool MustChangePassword, string? Phone, string? StaffNumber, string? Subject, string? Stage);
