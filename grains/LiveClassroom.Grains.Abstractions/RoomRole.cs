namespace LiveClassroom.Grains;

/// <summary>
/// The caller's role in one room, decided by the hub/API from the authenticated principal (docs/HUB.md role matrix).
/// The grain still checks it against its own data: a <see cref="Lead"/> must be the room's lead teacher or sit in
/// the lead classroom; a <see cref="Classroom"/> must name one of the room's rural classrooms.
/// </summary>
public enum RoomRole
{
    /// <summary>The lead teacher (person) or the lead classroom's device.</summary>
    Lead,

    /// <summary>A rural classroom: its projector-PC device or its assistant teacher, acting for <see cref="RoomCaller.ClassroomId"/>.</summary>
    Classroom,

    /// <summary>A researcher or an admin watching; may chat, cannot steer.</summary>
    Observer,

    /// <summary>An administrator managing the room's definition (pairings, timetables); treated as an observer inside a live class.</summary>
    Admin,

    /// <summary>The server itself (another grain, a background job). Never hand this to a client's call.</summary>
    System,
}
