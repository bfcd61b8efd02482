using LiveClassroom.Grains;

namespace LiveClassroom.Server.Hubs;

/// <summary>The caller's own place in a class: participant id (= principal id), role and the classroom acted for.</summary>
public sealed record YouInClass(string ParticipantId, RoomRole Role, string? ClassroomId, bool SeesAttendance);
