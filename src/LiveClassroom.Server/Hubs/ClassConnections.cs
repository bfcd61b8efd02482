using LiveClassroom.Grains;

namespace LiveClassroom.Server.Hubs;

/// <summary>Which classroom-hub connections have joined which class, as which <see cref="RoomCaller"/>.</summary>
public sealed class ClassConnections() : RoomConnections<RoomCaller>(caller => caller.PrincipalId)
{
    /// <summary>
    /// The class's audience groups with connections on this node (<see cref="ClassEventAudience"/>): the group, its rural
    /// classroom (null: the full audience) and how many connections are in it.
    /// </summary>
    public IReadOnlyList<(string Group, string? ClassroomId, int Connections)> Audiences(string classId)
    {
        var full = 0;
        var rooms = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var member in MembersOf(classId))
        {
            if (ClassEventAudience.ClassroomOf(member) is { } classroomId)
            {
                rooms[classroomId] = rooms.GetValueOrDefault(classroomId) + 1;
            }
            else
            {
                full++;
            }
        }
        var audiences = new List<(string, string?, int)>(rooms.Count + 1);
        if (full > 0)
        {
            audiences.Add((ClassEventDispatcher.GroupName(classId), null, full));
        }
        foreach (var (classroomId, count) in rooms)
        {
            audiences.Add((ClassEventAudience.RoomGroup(classId, classroomId), classroomId, count));
        }
        return audiences;
    }
}
