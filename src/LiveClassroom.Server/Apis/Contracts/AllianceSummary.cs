namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>An alliance in a list: where it sits, its scope and status, its chief, and what the caller may do with it.</summary>
public sealed record AllianceSummary(Guid Id, Guid OrganisationId, string OrganisationName, string OrganisationKind, string Name, string Subject, string Stage,
    string Status, string? StatusReason, Guid ChiefId, string ChiefName, int Members, int Experts, int Core, string? MyRole, bool CanCertify, bool CanAssess,
    bool CanManage, DateTimeOffset AppliedAt);
