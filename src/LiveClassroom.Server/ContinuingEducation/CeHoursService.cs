using System.Globalization;
using System.Text;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Research;

namespace LiveClassroom.Server.ContinuingEducation;

/// <summary>
/// Recomputes credits from verified evidence and builds a teacher's year and the school/county views. A recompute is a
/// sync keyed by evidence (CeStore.SyncAsync), so reading a page twice credits nothing twice.
/// </summary>
public sealed class CeHoursService(CeStore store, ResearchStore research, ParticipationService participation, AccessPolicy access, ServerClock time)
{
    public CeRequirement RequirementFor(Guid organisationId, int year, Dictionary<Guid, (int Total, int Required)> rows)
    {
        foreach (var node in access.Tree.PathToRoot(organisationId))
        {
            if (rows.TryGetValue(node.Id, out var r))
            {
                return new CeRequirement(year, r.Total, r.Required, node.Id, node.Name);
            }
        }
        return new CeRequirement(year, CeRules.DefaultTotalHours, CeRules.DefaultRequiredHours, null, null);
    }

    public async Task<CeRequirement> RequirementAsync(Guid organisationId, int year, CancellationToken ct)
    {
        var path = access.Tree.PathToRoot(organisationId).Select(n => n.Id).ToList();
        return RequirementFor(organisationId, year, await store.RequirementsAsync(path, year, ct));
    }

    public async Task<CeSyncResult> RecomputeAsync(IReadOnlyList<CeTeacher> teachers, int year, CancellationToken ct)
    {
        if (teachers.Count == 0)
        {
            return new CeSyncResult(0, 0, 0);
        }
        var ids = teachers.Select(t => t.PersonId).ToList();
        var wanted = ids.ToHashSet();
        var evidence = await store.EvidenceAsync(ids, year, ct);
        foreach (var sessionId in await store.ResearchSessionsAsync(ids, year, ct))
        {
            if (await research.SessionAsync(sessionId, ct) is not { EndedAt: { } ended } session)
            {
                continue;
            }
            foreach (var p in await participation.ForSessionAsync(session, null, ct))
            {
                if (wanted.Contains(p.PersonId) && p.Verified && p.CreditedMinutes > 0)
                {
                    evidence.Add(new CeEvidence(p.PersonId, "research", session.Id.ToString(), CeRules.SchoolDate(ended), Math.Min(p.CreditedMinutes, 6000)));
                }
            }
        }
        // One credit per key even if a query ever answered a key twice.
        var unique = evidence.GroupBy(e => (e.PersonId, e.Kind, e.EvidenceId)).Select(g => g.First()).ToList();
        return await store.SyncAsync(teachers, year, unique, time.GetUtcNow(), ct);
    }

    public async Task<CeSummary> SummaryAsync(CeTeacher teacher, int year, CancellationToken ct)
    {
        await RecomputeAsync([teacher], year, ct);
        var requirement = await RequirementAsync(teacher.SchoolId, year, ct);
        var credits = await store.CreditsAsync([teacher.PersonId], year, ct);
        var path = access.Tree.PathToRoot(teacher.SchoolId).Select(n => n.Id).ToList();
        var courses = await store.CoursesForAsync(teacher.PersonId, path, teacher.SchoolId, teacher.Stage, teacher.Subject, year, ct);
        var now = time.GetUtcNow();
        var earned = credits.Sum(c => c.Minutes);
        var expected = CeRules.ExpectedByNow(year, requirement.TotalHours, now);
        var byKind = CeRules.Kinds.Select(k =>
        {
            var m = credits.Where(c => c.Kind == k).Sum(c => c.Minutes);
            return new CeKindTotal(k, m, CeRules.Hours(m));
        }).ToList();
        return new CeSummary(teacher.PersonId, teacher.Name, teacher.SchoolId, teacher.SchoolName, year, View(teacher.SchoolId, requirement),
            earned, CeRules.Hours(earned), expected, CeRules.Hours(earned) < expected, byKind, credits, courses,
            CeRules.RegistrationOpen(year, now), CeRules.Window(year).To);
    }

    /// <summary>The teachers of the schools under <paramref name="organisationId"/>, recomputed, behind first.</summary>
    public async Task<CeReport> ReportAsync(Guid organisationId, int year, CancellationToken ct)
    {
        var tree = access.Tree;
        var schools = tree.SubtreeOf(organisationId).Where(id => tree.Find(id)?.Kind == OrganisationKinds.School).ToList();
        var teachers = await store.TeachersAsync(schools, ct);
        await RecomputeAsync(teachers, year, ct);
        var credits = (await store.CreditsAsync([.. teachers.Select(t => t.PersonId)], year, ct)).ToLookup(c => c.PersonId);
        var allPaths = schools.SelectMany(s => tree.PathToRoot(s)).Select(n => n.Id).Distinct().ToList();
        var rows = await store.RequirementsAsync(allPaths, year, ct);
        var now = time.GetUtcNow();
        var list = teachers.Select(t =>
        {
            var requirement = RequirementFor(t.SchoolId, year, rows);
            var mine = credits[t.PersonId].ToList();
            var earned = CeRules.Hours(mine.Sum(c => c.Minutes));
            var expected = CeRules.ExpectedByNow(year, requirement.TotalHours, now);
            var byKind = CeRules.Kinds.ToDictionary(k => k, k => CeRules.Hours(mine.Where(c => c.Kind == k).Sum(c => c.Minutes)));
            return new CeReportRow(t.PersonId, t.Name, t.SchoolId, t.SchoolName, requirement.TotalHours, earned, expected, earned < expected, byKind);
        }).OrderByDescending(r => r.Behind).ThenBy(r => r.EarnedHours - r.ExpectedHours).ThenBy(r => r.Name, StringComparer.Ordinal).ToList();
        return new CeReport(organisationId, tree.Find(organisationId)?.Name ?? "", year, list.Count, list.Count(r => r.Behind), list);
    }

    /// <summary>The report as CSV for spreadsheets: UTF-8 with a byte-order mark, CRLF lines, fields quoted when needed.</summary>
    public static byte[] Csv(CeReport report)
    {
        var sb = new StringBuilder();
        sb.Append("姓名,学校,要求学时,已获学时,应达学时,是否落后");
        foreach (var k in CeRules.Kinds)
        {
            sb.Append(',').Append(k);
        }
        sb.Append("\r\n");
        foreach (var r in report.Rows)
        {
            sb.Append(Field(r.Name)).Append(',').Append(Field(r.SchoolName)).Append(',')
                .Append(r.TotalHours.ToString(CultureInfo.InvariantCulture)).Append(',')
                .Append(r.EarnedHours.ToString("0.0", CultureInfo.InvariantCulture)).Append(',')
                .Append(r.ExpectedHours.ToString("0.0", CultureInfo.InvariantCulture)).Append(',')
                .Append(r.Behind ? "是" : "否");
            foreach (var k in CeRules.Kinds)
            {
                sb.Append(',').Append(r.HoursByKind[k].ToString("0.0", CultureInfo.InvariantCulture));
            }
            sb.Append("\r\n");
        }
        return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(sb.ToString())];
    }

    /// <summary>RFC 4180 §2: a field with a comma, quote or line break is quoted, quotes doubled; a leading =+-@ is defused for spreadsheets.</summary>
    private static string Field(string value)
    {
        if (value.Length > 0 && "=+-@".Contains(value[0], StringComparison.Ordinal))
        {
            value = "'" + value;
        }
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    public static CeRequirementView View(Guid organisationId, CeRequirement r) =>
        new(organisationId, r.Year, r.TotalHours, r.RequiredHours, r.ElectiveHours, r.SourceOrganisationId, r.SourceOrganisationName);
}
