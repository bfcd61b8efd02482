using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Hubs;

/// <summary>A connection's place in one session, as resolved when it joined.</summary>
public sealed record ResearchMember(Guid SessionId, ResearchCaller Caller, SessionStanding Standing);
