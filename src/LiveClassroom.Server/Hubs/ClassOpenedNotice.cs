namespace LiveClassroom.Server.Hubs;

/// <summary>Told to a waiting classroom device: a class its classroom belongs to has just opened (docs/HUB.md, "Waiting devices").</summary>
public sealed record ClassOpenedNotice(string ClassId, string ClassroomId);
