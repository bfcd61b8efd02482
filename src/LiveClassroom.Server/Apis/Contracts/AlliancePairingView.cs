namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>
/// A pairing the alliance scheduled: <c>confirmed</c> (the pairing and its timetable exist: <c>PairingId</c>) or
/// <c>pending</c> (it crosses counties and waits for the rural classrooms' county admin; <c>CanConfirm</c> for that admin).
/// </summary>
public sealed record AlliancePairingView(Guid Id, string Status, string? PairingId, string Subject, string Grade, string TextbookEdition, string TermName,
    DateOnly TermStart, DateOnly TermEnd, IReadOnlyList<ClassOrderSlot> Slots, AllianceClassroomRef Lead, Guid LeadTeacherId, string LeadTeacherName,
    IReadOnlyList<AllianceClassroomRef> Rural, bool CrossCounty, bool CanConfirm, DateTimeOffset CreatedAt);
