namespace LiveClassroom.Server.Research;

/// <summary>One presence of a person in a session; <see cref="LeftAt"/> is null while still present.</summary>
public sealed record AttendanceInterval(Guid PersonId, string Role, DateTimeOffset JoinedAt, DateTimeOffset? LeftAt);
