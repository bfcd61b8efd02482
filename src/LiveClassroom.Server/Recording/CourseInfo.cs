namespace LiveClassroom.Server.Recording;

/// <summary>
/// The descriptive fields of a lesson resource. Recording: the course progress of the class being recorded (from
/// the pairing), which prefills the library resource. Editing: the fields an author changes, null leaving a field as
/// it is. Stage is one of 小学, 初中, 高中.
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
