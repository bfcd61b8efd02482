namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>A classroom of a live class as the admin overview shows it.</summary>
public sealed record LiveRoomClassroom(string ClassroomId, string Name, bool IsLead, bool Present, int? StageSeat, bool MutedByLead);
