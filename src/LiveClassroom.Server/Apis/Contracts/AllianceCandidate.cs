namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>
/// A person the alliance picker found: what choosing them needs and no more. <c>Kind</c> is <c>teacher</c> (may take
/// any role) or <c>researcher</c> (expert only); <c>StaffNumber</c> only when the search term matched it (else null);
/// never a phone number or a username.
/// </summary>
public sealed record AllianceCandidate(Guid PersonId, string Name, string? SchoolName, string? Subject, string? Stage, string Kind, string? StaffNumber);
