namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A dry run's answer: every row as it would be imported and every problem; <c>Valid</c> when there are none.</summary>
public sealed record TeacherImportPreview(bool Valid, int RowCount, IReadOnlyList<TeacherCsvRow> Rows, IReadOnlyList<ImportProblem> Problems);
