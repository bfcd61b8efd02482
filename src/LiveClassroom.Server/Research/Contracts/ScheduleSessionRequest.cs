namespace LiveClassroom.Server.Research.Contracts;

/// <summary>POST /api/research/sessions.</summary>
public sealed record ScheduleSessionRequest(
    string? Title,
    string? Kind,
    string? Subject,
    string? Stage,
    string? Grade,
    string? Chapter,
    DateTimeOffset? ScheduledStart,
    Guid? OrganisationId,
    Guid? HostId,
    int? SpeakerTurnSeconds,
    Guid? RubricTemplateId,
    IReadOnlyList<SegmentInput>? Segments,
    IReadOnlyList<InvitationInput>? Invitations);
