namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>
/// A pairing the alliance scheduled: <c>confirmed</c> (the pairing and its timetable exist: <c>PairingId</c>),
/// <c>pending</c> (it crosses counties and waits for the rural classrooms' county admin: <c>CanConfirm</c> for that
/// admin, who may also reject it), or ended while pending, defining nothing: <c>rejected</c> (with the admin's
/// <c>Reason</c>) or <c>cancelled</c> (withdrawn; <c>CanCancel</c> for who may withdraw it while it is pending).
/// </summary>
public sealed record AlliancePairingView(Guid Id, string Status, string? PairingId, string Subject, string Grade, string TextbookEdition, string TermName,
    DateOnly TermStart, DateOnly TermEnd, IReadOnlyList<ClassOrderSlot> Slots, AllianceClassroomRef Lead, Guid LeadTeacherId, string LeadTeacherName,
    IReadOnlyList<AllianceClassroomRef> Rural, bool CrossCounty, bool CanConfirm, DateTimeOffset CreatedAt, Guid ProposedById, string ProposedByName,
    string? Reason, DateTimeOffset? DecidedAt, bool CanCancel);
