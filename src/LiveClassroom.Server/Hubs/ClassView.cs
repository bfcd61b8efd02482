using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// What <c>JoinClass</c> and <c>Resync</c> return: the class snapshot as this caller may see it, and who the
/// caller is in it. Attendance is only shown to the lead and to admins; others get it blanked.
/// </summary>
public sealed record ClassView(ClassSnapshot Class, YouInClass You)
{
    private static readonly Attendance Hidden = new(null, null, 0, 0);

    public static ClassView For(ClassSnapshot snapshot, RoomCaller caller)
    {
        var seesAttendance = caller.Role is RoomRole.Lead or RoomRole.Admin;
        var visible = seesAttendance
            ? snapshot
            : snapshot with { Classrooms = [.. snapshot.Classrooms.Select(c => c with { Attendance = Hidden })] };
        return new ClassView(visible, new YouInClass(caller.PrincipalId, caller.Role, caller.ClassroomId, seesAttendance));
    }
}
