namespace LiveClassroom.Server.Apis.Contracts;

public sealed record TeacherImportResult(IReadOnlyList<ImportedTeacher> Created);
