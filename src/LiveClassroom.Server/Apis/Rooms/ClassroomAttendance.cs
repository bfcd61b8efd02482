using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>One classroom's attendance in a class.</summary>
public sealed record ClassroomAttendance(string ClassroomId, string Name, string? SchoolName, bool IsLead, bool Present, Attendance Attendance);
