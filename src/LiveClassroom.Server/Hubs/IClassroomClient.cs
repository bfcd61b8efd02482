namespace LiveClassroom.Server.Hubs;

/// <summary>What the classroom hub calls on its clients (docs/HUB.md, "Events").</summary>
public interface IClassroomClient : IRoomMovedClient, IMediaOwnerClient
{
    /// <summary>A sequenced class event; per class, in order, <c>seq</c> without gaps.</summary>
    Task RoomEvent(RoomEventMessage message);

    /// <summary>Unsequenced, to devices watching their classroom: a class of that classroom just opened.</summary>
    Task ClassOpened(ClassOpenedNotice notice);
}
