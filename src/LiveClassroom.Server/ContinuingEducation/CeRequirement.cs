namespace LiveClassroom.Server.ContinuingEducation;

/// <summary>The requirement in force for an organisation's teachers and where it was set (null: the default).</summary>
public sealed record CeRequirement(int Year, int TotalHours, int RequiredHours, Guid? SourceOrganisationId, string? SourceOrganisationName)
{
    public int ElectiveHours => TotalHours - RequiredHours;
}
