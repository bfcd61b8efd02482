namespace LiveClassroom.Server.Hubs;

/// <summary>What the research hub calls on its clients (docs/HUB-RESEARCH.md, "Events"); <c>RoomMoved</c> carries the session id as <c>classId</c>.</summary>
public interface IResearchClient : IRoomMovedClient, IMediaOwnerClient
{
    /// <summary>A sequenced session event (<c>LiveChanged</c>); per session, in order.</summary>
    Task ResearchEvent(ResearchEventMessage message);
}
