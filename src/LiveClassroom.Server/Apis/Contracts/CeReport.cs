namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The teachers under an organisation for a year, behind first.</summary>
public sealed record CeReport(Guid OrganisationId, string OrganisationName, int Year, int Teachers, int Behind, IReadOnlyList<CeReportRow> Rows);
