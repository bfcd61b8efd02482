namespace LiveClassroom.Server.Hubs;

/// <summary>What the research hub calls on its clients (docs/HUB-RESEARCH.md, "Events").</summary>
public interface IResearchClient : IMediaOwnerClient
{
    /// <summary>A sequenced session event (<c>LiveChanged</c>); per session, in order.</summary>
    Task ResearchEvent(ResearchEventMessage message);
}
