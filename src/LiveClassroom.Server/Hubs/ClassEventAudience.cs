using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Which of a class's events a connection is sent (docs/HUB.md, "What a rural classroom's page is sent"). The lead,
/// observers and admins get every event; a rural classroom's page (role Classroom) gets every event except the media
/// changes of other rural classrooms' participants, and their presence (joined, connection) while off stage, which no
/// classroom page shows (the server routes the stage slots; the page needs the lead's media and its own, and the stage
/// classrooms' presence). After an edge node is lost the media changes are nearly all of a write's events:
/// each page would otherwise receive every moved classroom's <c>MediaChanged</c> (~0.5 KB each) ahead of the answer to
/// its own offer. Pure: connections are grouped by audience, one SignalR group each.
/// </summary>
public static class ClassEventAudience
{
    /// <summary>The SignalR group of a connection joined to a class as <paramref name="caller"/>: one per rural classroom, one for everyone else.</summary>
    public static string GroupOf(string classId, RoomCaller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        return ClassroomOf(caller) is { } classroomId ? RoomGroup(classId, classroomId) : ClassEventDispatcher.GroupName(classId);
    }

    /// <summary>The rural classroom whose audience the caller is in, or null for the full audience.</summary>
    public static string? ClassroomOf(RoomCaller caller) =>
        caller is { Role: RoomRole.Classroom, ClassroomId: { Length: > 0 } classroomId } ? classroomId : null;

    public static string RoomGroup(string classId, string classroomId) => ClassEventDispatcher.GroupName(classId) + ":room:" + classroomId;

    /// <summary>Whether a page of rural classroom <paramref name="classroomId"/> is sent <paramref name="e"/>.</summary>
    public static bool Sends(RoomEventMessage e, string classroomId) => OwnerOf(e) is not { } owner || owner == classroomId;

    /// <summary>
    /// The one rural classroom whose pages alone (of all rural classrooms' pages) are sent <paramref name="e"/>, or null
    /// when every page is: a rural classroom participant's media change, and its joining and connection changes while its
    /// classroom is off stage. A projector shows the lead, itself and the stage: others' presence would only cost it
    /// (a full rejoin of 600 classrooms sent each page ~1,200 such events, 720,000 in all).
    /// </summary>
    public static string? OwnerOf(RoomEventMessage e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Payload is not ParticipantView { Role: RoomRole.Classroom, ClassroomId: { } classroomId } p)
        {
            return null;
        }
        return e.Type switch
        {
            ClassEventTypes.MediaChanged => classroomId,
            ClassEventTypes.ParticipantJoined or ClassEventTypes.ConnectionChanged when !p.OnStage => classroomId,
            _ => null,
        };
    }

    /// <summary>The events of <paramref name="events"/> a page of rural classroom <paramref name="classroomId"/> is sent, in order (the same list when all are).</summary>
    public static IReadOnlyList<RoomEventMessage> For(IReadOnlyList<RoomEventMessage> events, string classroomId)
    {
        ArgumentNullException.ThrowIfNull(events);
        List<RoomEventMessage>? kept = null;
        for (var i = 0; i < events.Count; i++)
        {
            if (Sends(events[i], classroomId))
            {
                kept?.Add(events[i]);
            }
            else if (kept is null)
            {
                kept = [.. events.Take(i)];
            }
        }
        return kept ?? events;
    }
}
