namespace LiveClassroom.Grains.Pairing;

/// <summary>The row admin pages list pairings from (see <see cref="Ports.IPairingDirectory"/>).</summary>
[GenerateSerializer, Immutable, Alias("lc.PairingListing")]
public sealed record PairingListing(
    string PairingId,
    string Name,
    ClassroomRef LeadClassroom,
    PersonRef LeadTeacher,
    IReadOnlyList<ClassroomRef> RuralClassrooms,
    string Subject,
    string Grade,
    string TextbookEdition,
    string? TermName,
    DateOnly? TermStart,
    DateOnly? TermEnd);
