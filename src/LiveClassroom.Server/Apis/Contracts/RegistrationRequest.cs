namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>
/// A registration (docs/API-PLATFORM.md): <c>kind</c> teacher (under a school), school (under a county), county (under a
/// city) or city (under a province). The applicant's own account is created with it, pending until decided.
/// </summary>
public sealed record RegistrationRequest(
    string? Kind, Guid? ParentId, string? Username, string? Password, string? DisplayName, string? Phone, string? StaffNumber,
    string? Subject, string? Stage, string? Role, string? OrganisationName, bool? IsRural);
