namespace LiveClassroom.Server.Hubs;

/// <summary>What every room hub can tell its clients when their room leaves this node.</summary>
public interface IRoomMovedClient
{
    /// <summary>This node no longer hosts the room: reconnect to the owner and join again.</summary>
    Task RoomMoved(RoomMovedMessage message);
}
