namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>What a device learns about itself: where it sits.</summary>
public sealed record DeviceSelfView(Guid Id, string Name, Guid ClassroomId, string ClassroomName, Guid SchoolId, string SchoolName);
