namespace LiveClassroom.Server.Hubs;

/// <summary>Which research-hub connections have joined which session (keyed by the session id's string), as whom.</summary>
public sealed class ResearchConnections() : RoomConnections<ResearchMember>(member => member.Caller.PersonId.ToString());
