namespace LiveClassroom.Server.ContinuingEducation;

/// <summary>What a recompute changed: credits added, updated (minutes or date moved) and removed (evidence gone).</summary>
public sealed record CeSyncResult(int Added, int Updated, int Removed)
{
    public bool Changed => Added + Updated + Removed > 0;
}
