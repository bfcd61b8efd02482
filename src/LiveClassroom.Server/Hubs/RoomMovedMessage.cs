namespace LiveClassroom.Server.Hubs;

/// <summary>Payload of <see cref="IClassroomClient.RoomMoved"/>; <paramref name="OwnerUrl"/> is null while no node holds the class.</summary>
public sealed record RoomMovedMessage(string ClassId, string? OwnerUrl);
