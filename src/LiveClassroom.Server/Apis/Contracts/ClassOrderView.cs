namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>An order as the ordering school, the lead schools of its county and the county see it.</summary>
public sealed record ClassOrderView(
    Guid Id, string Status, Guid SchoolId, string SchoolName, Guid CountyId, Guid RuralClassroomId, string RuralClassroomName,
    string Subject, string Grade, string TextbookEdition, string TermName, DateOnly TermStart, DateOnly TermEnd,
    IReadOnlyList<ClassOrderSlot> Slots, int WeeklyPeriods, string? Note, DateTimeOffset CreatedAt,
    Guid? LeadSchoolId, string? LeadSchoolName, Guid? LeadClassroomId, string? LeadClassroomName, Guid? LeadTeacherId, string? LeadTeacherName,
    DateTimeOffset? AcceptedAt, DateTimeOffset? ConfirmedAt, string? PairingId);
