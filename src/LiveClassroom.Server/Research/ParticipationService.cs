using LiveClassroom.Server.Hosting;
namespace LiveClassroom.Server.Research;

/// <summary>Reads a session's participation record and turns it into per-person evidence and credited minutes.</summary>
public sealed class ParticipationService(ResearchStore store, ServerClock time)
{
    public async Task<IReadOnlyList<PersonParticipation>> ForSessionAsync(ResearchSessionRecord session, Guid? onlyPerson, CancellationToken ct)
    {
        var attendance = await store.AttendanceAsync(session.Id, ct);
        var turns = await store.TurnsAsync(session.Id, ct);
        var contributions = await store.ContributionsAsync(session.Id, ct);
        var ids = attendance.Select(a => a.PersonId).Concat(turns.Select(t => t.PersonId)).Concat(contributions.Keys)
            .Where(p => onlyPerson is null || p == onlyPerson).Distinct().ToList();
        var names = await store.PeopleAsync(ids, ct);
        var ended = session.Status == "ended";
        var until = session.EndedAt ?? time.GetUtcNow();
        return ids.Select(p =>
        {
            var (lessons, comments) = contributions.TryGetValue(p, out var c) ? c : (0, 0);
            return ParticipationCalculator.ForPerson(p, names.TryGetValue(p, out var n) ? n.Name : "", session.Segments, attendance, turns, lessons, comments, ended, until);
        }).OrderBy(p => p.Name, StringComparer.Ordinal).ToList();
    }
}
