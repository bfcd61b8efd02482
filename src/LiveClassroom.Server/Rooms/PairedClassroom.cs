namespace LiveClassroom.Server.Rooms;

/// <summary>A rural classroom of a pairing and the school it sits in.</summary>
public sealed record PairedClassroom(Guid ClassroomId, Guid SchoolId);
