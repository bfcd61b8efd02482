namespace LiveClassroom.Server.Apis.Contracts;

public sealed record CeCourseRequest(Guid? OrganisationId, int? Year, string? Kind, string? Title, string? Topic, string? Stage, string? Subject, int? Hours);
