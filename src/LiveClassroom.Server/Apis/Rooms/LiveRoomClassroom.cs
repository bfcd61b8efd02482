namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>A classroom of a live class as the admin overview shows it (with its school: rural classrooms are often named alike).</summary>
public sealed record LiveRoomClassroom(string ClassroomId, string Name, string? SchoolName, bool IsLead, bool Present, int? StageSeat, bool MutedByLead);
