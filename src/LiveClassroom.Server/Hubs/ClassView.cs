using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// What <c>JoinClass</c> and <c>Resync</c> return: the class snapshot as this caller may see it, and who the
/// caller is in it. Attendance is only shown to the lead and to admins; others get it blanked. A rural classroom's page
/// gets the participants whose events it is sent (<see cref="ClassSnapshot.ForRuralClassroom"/>).
/// </summary>
public sealed record ClassView(ClassSnapshot Class, YouInClass You)
{
    private static readonly Attendance Hidden = new(null, null, 0, 0);

    public static ClassView For(ClassSnapshot snapshot, RoomCaller caller)
    {
        var seesAttendance = caller.Role is RoomRole.Lead or RoomRole.Admin;
        // Resync's snapshot as the join's (the grain narrows that one itself): a rural page gets what its events keep current.
        if (ClassEventAudience.ClassroomOf(caller) is { } classroomId)
        {
            snapshot = snapshot.ForRuralClassroom(classroomId);
        }
        var visible = seesAttendance
            ? snapshot
            : snapshot with { Classrooms = [.. snapshot.Classrooms.Select(c => c with { Attendance = Hidden })] };
        return new ClassView(visible, new YouInClass(caller.PrincipalId, caller.Role, caller.ClassroomId, seesAttendance));
    }
}
