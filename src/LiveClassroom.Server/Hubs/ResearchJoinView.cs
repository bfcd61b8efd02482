using LiveClassroom.Grains.Research;

namespace LiveClassroom.Server.Hubs;

/// <summary>The answer to <c>JoinSession</c>: who the caller is in the session, and the session as they see it.</summary>
public sealed record ResearchJoinView(Guid SessionId, Guid PersonId, string MyRole, bool CanOrganise, ResearchLiveSnapshot Snapshot);
