namespace LiveClassroom.Server.Research;

/// <summary>
/// What the caller is to one session. <see cref="LiveRole"/> (host, participant, observer) is how they join;
/// a supervisor (researcher or admin over the session's organisation) or the scheduler without an invitation
/// joins as an observer.
/// </summary>
public sealed record SessionStanding(string? InvitedRole, bool IsHost, bool IsSupervisor, bool IsCreator)
{
    public bool IsMember => IsHost || InvitedRole is not null || IsSupervisor || IsCreator;

    /// <summary>May change the agenda, rubric and lessons.</summary>
    public bool IsOrganiser => IsHost || IsCreator || IsSupervisor;

    public string LiveRole => IsHost ? "host" : InvitedRole ?? "observer";
}
