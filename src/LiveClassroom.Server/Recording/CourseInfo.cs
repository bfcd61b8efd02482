namespace LiveClassroom.Server.Recording;

/// <summary>
/// Course progress of the class being recorded (from the pairing's schedule, given by the caller):
/// prefills the library resource. Stage is one of 小学, 初中, 高中.
/// </summary>
public sealed record CourseInfo(
    string? Title = null,
    string? Stage = null,
    string? Grade = null,
    string? Subject = null,
    string? TextbookEdition = null,
    string? Chapter = null,
    string? TeacherName = null,
    string? SchoolName = null);
