namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>
/// An alliance's page: plan, members by role, this year's figures, sessions, pairings, lessons broadcast, published
/// resources, assessments, and the applications the caller may see (all pending ones for the chief and the level's
/// admin, their own for anyone else). <c>PairingOptions</c> only for those who may schedule a pairing.
/// </summary>
public sealed record AllianceDetail(AllianceSummary Alliance, string Plan, IReadOnlyList<AllianceMemberView> Members, AllianceFigures Figures,
    IReadOnlyList<AllianceSessionView> Sessions, IReadOnlyList<AllianceResourceView> Resources, IReadOnlyList<AllianceAssessmentView> Assessments,
    IReadOnlyList<AllianceApplicationView> Applications, bool CanJoin, bool CanSchedule, IReadOnlyList<AlliancePairingView> Pairings,
    IReadOnlyList<AllianceBroadcastView> Broadcasts, bool CanSchedulePairing, AlliancePairingOptions? PairingOptions);
