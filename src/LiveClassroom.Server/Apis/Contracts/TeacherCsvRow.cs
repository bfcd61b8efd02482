namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A teacher row of an import file, normalised (usernames lower-case, stages and roles as codes).</summary>
public sealed record TeacherCsvRow(
    int Line, string DisplayName, string Username, string? Phone, string? StaffNumber, string Subject, string Stage, string Role);
