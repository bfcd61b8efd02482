namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A library resource a member published.</summary>
public sealed record AllianceResourceView(Guid Id, string Title, string? TeacherName, DateTimeOffset? PublishedAt);
