namespace LiveClassroom.Server.Hubs;

/// <summary>What the research hub calls on its clients (docs/HUB-RESEARCH.md, "Events").</summary>
public interface IResearchClient
{
    /// <summary>A sequenced session event (<c>LiveChanged</c>); per session, in order.</summary>
    Task ResearchEvent(ResearchEventMessage message);

    /// <summary>This node no longer hosts the session: reconnect to the owner and join again (<c>classId</c> carries the session id).</summary>
    Task RoomMoved(RoomMovedMessage message);
}
