namespace LiveClassroom.Server.Research;

/// <summary>Intersects presence with the segments as they actually ran.</summary>
public static class ParticipationCalculator
{
    /// <param name="until">End of still-open segments and presences: the session's end, or now while it runs.</param>
    public static PersonParticipation ForPerson(
        Guid personId,
        string name,
        IReadOnlyList<SegmentRecord> segments,
        IReadOnlyList<AttendanceInterval> presence,
        IReadOnlyList<SpeakingTurn> turns,
        int lessonsScored,
        int comments,
        bool sessionEnded,
        DateTimeOffset until)
    {
        var mine = presence.Where(p => p.PersonId == personId).OrderBy(p => p.JoinedAt).ToList();
        var merged = Merge(mine.Select(p => (p.JoinedAt, p.LeftAt ?? until)));
        var perSegment = new List<SegmentAttendance>();
        double total = 0;
        foreach (var s in segments)
        {
            if (s.StartedAt is not { } start)
            {
                continue;
            }
            var end = s.EndedAt ?? until;
            double attended = 0;
            foreach (var (from, to) in merged)
            {
                var overlap = (Min(to, end) - Max(from, start)).TotalSeconds;
                if (overlap > 0)
                {
                    attended += overlap;
                }
            }
            total += attended;
            perSegment.Add(new SegmentAttendance(s.Position, s.Kind, s.Title, Math.Max(0, (end - start).TotalSeconds), attended));
        }
        var myTurns = turns.Where(t => t.PersonId == personId).ToList();
        var role = mine.Count > 0 ? mine[^1].Role : "";
        return new PersonParticipation(
            personId, name, role, mine, perSegment, total, myTurns.Count, myTurns.Sum(t => (t.EndedAt - t.StartedAt).TotalSeconds),
            lessonsScored, comments, sessionEnded, sessionEnded ? (int)Math.Floor(total / 60) : 0);
    }

    /// <summary>Overlapping presences (two devices, a reconnect recorded twice) count once.</summary>
    private static List<(DateTimeOffset From, DateTimeOffset To)> Merge(IEnumerable<(DateTimeOffset From, DateTimeOffset To)> intervals)
    {
        var result = new List<(DateTimeOffset From, DateTimeOffset To)>();
        foreach (var (from, to) in intervals.OrderBy(i => i.From))
        {
            if (to <= from)
            {
                continue;
            }
            if (result.Count > 0 && from <= result[^1].To)
            {
                result[^1] = (result[^1].From, Max(result[^1].To, to));
            }
            else
            {
                result.Add((from, to));
            }
        }
        return result;
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
