using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary><c>GET /api/classes/{id}/attendance</c>: per classroom attendance and the present/expected counts.</summary>
public sealed record ClassAttendance(
    string ClassId,
    ClassState State,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? EndedAt,
    int Expected,
    int Attended,
    int PresentNow,
    IReadOnlyList<ClassroomAttendance> Classrooms)
{
    public static ClassAttendance From(ClassSnapshot s)
    {
        var classrooms = s.Classrooms.Select(c => new ClassroomAttendance(c.ClassroomId, c.Name, c.SchoolName, c.IsLead, c.Present, c.Attendance)).ToList();
        return new ClassAttendance(
            s.ClassId, s.State, s.OpenedAt, s.EndedAt,
            classrooms.Count,
            classrooms.Count(c => c.Attendance.FirstJoinedAt is not null),
            classrooms.Count(c => c.Present),
            classrooms);
    }
}
