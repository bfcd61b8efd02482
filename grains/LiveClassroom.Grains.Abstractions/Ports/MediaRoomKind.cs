namespace LiveClassroom.Grains.Ports;

/// <summary>Which hub a room's connections are on: a live class's (room id = class id) or a research session's (room id = session id).</summary>
public enum MediaRoomKind
{
    Class,
    Research,
}
