namespace LiveClassroom.Server.Library;

/// <summary>The fields an author may change; null leaves a field as it is.</summary>
public sealed record ResourceEdit(
    string? Title = null,
    string? Stage = null,
    string? Grade = null,
    string? Subject = null,
    string? TextbookEdition = null,
    string? Chapter = null,
    string? TeacherName = null,
    string? SchoolName = null);
