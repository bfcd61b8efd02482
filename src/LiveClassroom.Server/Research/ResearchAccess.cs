namespace LiveClassroom.Server.Research;

/// <summary>
/// Who may do what in teaching research. Scheduling and supervision: a researcher or an admin whose role is held
/// at the session's organisation or one of its ancestors (a county researcher covers the county's schools).
/// Interim check until the organisation-wide access policy lands; the rules here are documented in docs/API-RESEARCH.md.
/// </summary>
public sealed class ResearchAccess(ResearchStore store)
{
    public async Task<bool> SupervisesAsync(ResearchCaller caller, Guid organisationId, CancellationToken ct)
    {
        var supervising = caller.SupervisingOrganisations.ToHashSet();
        if (supervising.Count == 0)
        {
            return false;
        }
        var chain = await store.OrganisationAndAncestorsAsync(organisationId, ct);
        return chain.Any(supervising.Contains);
    }

    public async Task<SessionStanding> StandingAsync(ResearchCaller caller, ResearchSessionRecord session, CancellationToken ct)
    {
        var orgs = caller.MemberOrganisations.ToHashSet();
        string? invited = null;
        foreach (var inv in session.Invitations)
        {
            if (inv.PersonId == caller.PersonId || (inv.SchoolId is { } school && orgs.Contains(school)))
            {
                // A personal participant invitation outranks a school-wide observer one.
                invited = invited == "participant" ? invited : inv.Role;
            }
        }
        return new SessionStanding(invited, session.HostId == caller.PersonId, await SupervisesAsync(caller, session.OrganisationId, ct),
            session.CreatedBy == caller.PersonId);
    }

    /// <summary>The session and the caller's standing in it; 404 when it does not exist, 403 for outsiders.</summary>
    public async Task<(ResearchSessionRecord Session, SessionStanding Standing)> RequireMemberAsync(ResearchCaller caller, Guid sessionId, CancellationToken ct)
    {
        var session = await store.SessionAsync(sessionId, ct)
            ?? throw ResearchApiException.NotFound("session_not_found", "No such research session.", "教研活动不存在。");
        var standing = await StandingAsync(caller, session, ct);
        if (!standing.IsMember)
        {
            throw ResearchApiException.Forbidden("not_a_member", "You are not invited to this research session.", "您未受邀参加此教研活动。");
        }
        return (session, standing);
    }

    public static void RequireOrganiser(SessionStanding standing)
    {
        if (!standing.IsOrganiser)
        {
            throw ResearchApiException.Forbidden("not_organiser", "Only the host, the scheduler or a supervising researcher/admin may change this session.",
                "只有主持人、活动创建者或上级教研员/管理员可以修改此活动。");
        }
    }
}
