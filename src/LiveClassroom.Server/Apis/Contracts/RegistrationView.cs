namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A registration as its applicant and the deciding admins see it.</summary>
public sealed record RegistrationView(
    Guid Id, string Kind, string Status, Guid ParentId, string ParentName, string? OrganisationName, bool IsRural, string? Role,
    Guid ApplicantId, string ApplicantUsername, string ApplicantName, string? Phone, string? StaffNumber, string? Subject, string? Stage,
    string? Reason, DateTimeOffset CreatedAt, DateTimeOffset? DecidedAt, string? DecidedByName, Guid? CreatedOrganisationId);
