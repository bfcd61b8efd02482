namespace LiveClassroom.Server.Alliances;

/// <summary>An alliance row with its members (person → role).</summary>
public sealed record AllianceRecord(Guid Id, Guid OrganisationId, string Name, string Subject, string Stage, string Plan, string Status, string? StatusReason,
    Guid AppliedBy, DateTimeOffset AppliedAt, IReadOnlyDictionary<Guid, string> Members)
{
    public Guid ChiefId => Members.First(m => m.Value == AllianceRules.Chief).Key;

    public bool IsActive => Status is AllianceRules.Certified or AllianceRules.Assessed;

    public int Count(string role) => Members.Values.Count(r => r == role);
}
