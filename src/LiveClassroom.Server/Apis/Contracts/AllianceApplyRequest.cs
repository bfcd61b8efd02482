namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A proposal of an alliance: its level (a province, city or county), scope, plan, chief and optionally its experts and core teachers.</summary>
public sealed record AllianceApplyRequest(Guid? OrganisationId, string? Name, string? Subject, string? Stage, string? Plan, Guid? ChiefId,
    IReadOnlyList<Guid>? ExpertIds, IReadOnlyList<Guid>? CoreIds);
