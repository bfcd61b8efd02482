using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.Apis;

/// <summary>Who attended which segments, spoke, scored and commented; credited minutes for 继续教育学时.</summary>
public static partial class ResearchApi
{
    private static void MapParticipation(RouteGroupBuilder api)
    {
        api.MapGet("/sessions/{id:guid}/participation", async (Guid id, HttpContext http, ResearchAccess access, ParticipationService participation, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var (session, standing) = await access.RequireMemberAsync(caller, id, ct);
            // Organisers see everyone; a participant sees their own record.
            var people = await participation.ForSessionAsync(session, standing.IsOrganiser ? null : caller.PersonId, ct);
            return Results.Ok(new { sessionId = session.Id, session.Status, session.StartedAt, session.EndedAt, people });
        }).Doc("GetSessionParticipation", "Who took part in a session and for how long", 200, 403, 404);

        api.MapGet("/participation", async (Guid? personId, DateTimeOffset? from, DateTimeOffset? to, HttpContext http, ResearchStore store, ResearchAccess access,
            ParticipationService participation, CancellationToken ct) =>
        {
            var caller = Caller(http);
            var person = personId ?? caller.PersonId;
            var found = await store.PeopleAsync([person], ct);
            if (!found.TryGetValue(person, out var who))
            {
                throw ResearchApiException.NotFound("person_not_found", "No such person.", "用户不存在。");
            }
            if (person != caller.PersonId && !access.Supervises(caller, who.OrganisationId))
            {
                throw ResearchApiException.Forbidden("not_supervisor", "Only the person, or a researcher or admin over their school, may read these hours.",
                    "只有本人或其所在学校的上级教研员、管理员可以查看学时。");
            }
            // Query times are bound without the body's converter: normalised here (Npgsql writes only UTC).
            var start = from?.ToUniversalTime() ?? DateTimeOffset.UnixEpoch;
            var end = to?.ToUniversalTime() ?? DateTimeOffset.MaxValue;
            if (end <= start)
            {
                throw ResearchApiException.BadRequest("invalid_range", "'to' must be after 'from'.", "结束时间须晚于开始时间。");
            }
            var sessions = new List<object>();
            var total = 0;
            foreach (var sid in await store.SessionsAttendedAsync(person, start, end, ct))
            {
                var session = await store.SessionAsync(sid, ct);
                if (session is null)
                {
                    continue;
                }
                var mine = (await participation.ForSessionAsync(session, person, ct)).FirstOrDefault();
                if (mine is null)
                {
                    continue;
                }
                total += mine.CreditedMinutes;
                sessions.Add(new { sessionId = session.Id, session.Title, session.Subject, session.Stage, session.ScheduledStart, session.Status, evidence = mine });
            }
            return Results.Ok(new { personId = person, name = who.Name, from = start, to = end, creditedMinutes = total, sessions });
        }).Doc("GetParticipationCredits", "A person's credited research minutes in a time range", 200, 400, 403, 404);
    }
}
