namespace LiveClassroom.Server.Recording;

/// <summary>What starts a recording: the room, the lead school and teacher, and the course progress for the resource.</summary>
public sealed record StartRecordingRequest(string RoomId, Guid SchoolId, Guid? TeacherId, CourseInfo? Course = null);
