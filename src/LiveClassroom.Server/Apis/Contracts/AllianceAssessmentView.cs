namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A yearly assessment with the figures the assessor saw.</summary>
public sealed record AllianceAssessmentView(Guid Id, int Year, int Score, string Comment, string Decision, string FromOrganisationName,
    string? ToOrganisationName, AllianceFigures Figures, string AssessedByName, DateTimeOffset AssessedAt);
