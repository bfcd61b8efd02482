namespace LiveClassroom.Server.Research;

/// <summary>A research session as stored.</summary>
public sealed record ResearchSessionRecord(
    Guid Id,
    Guid OrganisationId,
    string Title,
    string Kind,
    string Subject,
    string Stage,
    string Grade,
    string Chapter,
    DateTimeOffset ScheduledStart,
    Guid HostId,
    Guid CreatedBy,
    string Status,
    int SpeakerTurnSeconds,
    Guid? RubricTemplateId,
    Rubric Rubric,
    DateTimeOffset? StartedAt,
    DateTimeOffset? EndedAt,
    IReadOnlyList<SegmentRecord> Segments,
    IReadOnlyList<InvitationRecord> Invitations);
