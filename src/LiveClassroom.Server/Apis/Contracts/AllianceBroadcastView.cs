namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>An ended live class a member taught (a lesson broadcast), newest first on the alliance's page.</summary>
public sealed record AllianceBroadcastView(string ClassId, string Title, string LeadTeacherName, DateTimeOffset EndedAt);
