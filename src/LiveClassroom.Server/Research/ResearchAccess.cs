using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;

namespace LiveClassroom.Server.Research;

/// <summary>
/// Who may do what in teaching research (documented in docs/API-RESEARCH.md). Scheduling and supervision: a
/// researcher or an admin whose role is held at the organisation or one of its ancestors (a county researcher
/// covers the county's schools), answered by <see cref="AccessPolicy"/> from the cached organisation tree.
/// </summary>
public sealed class ResearchAccess(ResearchStore store, AccessPolicy policy, PeopleStore people, IRecordingCatalog recordings)
{
    public bool Supervises(ResearchCaller caller, Guid organisationId) =>
        policy.HasRoleAtOrAbove(caller.User, Roles.Researcher, organisationId) || policy.AdministersOrganisation(caller.User, organisationId);

    /// <summary>Has business in the organisation: a role there or above it, or it is the caller's home.</summary>
    public bool BelongsTo(ResearchCaller caller, Guid organisationId) =>
        caller.OrganisationId == organisationId || policy.HasAnyRoleAtOrAbove(caller.User, organisationId);

    public SessionStanding Standing(ResearchCaller caller, ResearchSessionRecord session)
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
        return new SessionStanding(invited, session.HostId == caller.PersonId, Supervises(caller, session.OrganisationId),
            session.CreatedBy == caller.PersonId);
    }

    /// <summary>The session and the caller's standing in it; 404 when it does not exist, 403 for outsiders.</summary>
    public async Task<(ResearchSessionRecord Session, SessionStanding Standing)> RequireMemberAsync(ResearchCaller caller, Guid sessionId, CancellationToken ct)
    {
        var session = await store.SessionAsync(sessionId, ct)
            ?? throw ResearchApiException.NotFound("session_not_found", "No such research session.", "教研活动不存在。");
        var standing = Standing(caller, session);
        if (!standing.IsMember)
        {
            throw ResearchApiException.Forbidden("not_a_member", "You are not invited to this research session.", "您未受邀参加此教研活动。");
        }
        return (session, standing);
    }

    /// <summary>
    /// Whether a media ticket still opens its file: its holder is still an active person, still a member of the session,
    /// and may still watch the recording (not taken down or made private since, not deleted). Checked on every request,
    /// from the person's current roles, because a ticket lives for hours.
    /// </summary>
    public async Task<bool> TicketStillGrantsAsync(MediaTicket ticket, CancellationToken ct)
    {
        if (await people.GetAsync(ticket.PersonId, ct) is not { IsActive: true } person
            || await store.SessionAsync(ticket.SessionId, ct) is not { } session)
        {
            return false;
        }
        var holder = AccountTokens.PrincipalOf(person);
        return Standing(ResearchCaller.From(holder), session).IsMember && await recordings.CanViewAsync(holder, ticket.RecordingId, ct);
    }

    public static void RequireOrganiser(SessionStanding standing)
    {
        if (!standing.IsOrganiser)
        {
            throw ResearchApiException.Forbidden("not_organiser", "Only the host, the scheduler or a supervising researcher/admin may change this session.",
                "只有主持人、活动创建者或上级教研员/管理员可以修改此活动。");
        }
    }

    public static void RequireHost(SessionStanding standing)
    {
        if (!standing.IsHost)
        {
            throw ResearchApiException.Forbidden("not_host", "Only the session host may do this.", "只有主持人可以执行此操作。");
        }
    }
}
