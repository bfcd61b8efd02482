namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The yearly assessment: score 0–100, a comment and the decision (keep, up, down with the child level to move to, exit).</summary>
public sealed record AllianceAssessmentRequest(int? Year, int? Score, string? Comment, string? Decision, Guid? TargetOrganisationId);
