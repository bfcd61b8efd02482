namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A 1+N pairing among member schools: a member's lead classroom and teacher, member rural classrooms, the course and term.</summary>
public sealed record AlliancePairingRequest(Guid? LeadClassroomId, Guid? LeadTeacherId, IReadOnlyList<Guid>? RuralClassroomIds, string? Subject,
    string? Grade, string? TextbookEdition, string? TermName, string? TermStart, string? TermEnd, IReadOnlyList<ClassOrderSlot>? Slots);
