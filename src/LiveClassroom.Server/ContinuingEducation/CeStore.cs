using LiveClassroom.Server.Apis.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace LiveClassroom.Server.ContinuingEducation;

/// <summary>The tables of migration 0011 and the verified evidence read from the classroom, research and library tables.</summary>
public sealed partial class CeStore(NpgsqlDataSource dataSource)
{
    public NpgsqlDataSource DataSource => dataSource;

    private const string TeacherSql = """
        SELECT DISTINCT ON (p.id) p.id, p.display_name, o.id, o.name, p.stage, p.subject
        FROM people p
        JOIN person_roles r ON r.person_id = p.id AND r.role IN ('lead_teacher', 'assistant_teacher')
        JOIN organisations o ON o.id = r.organisation_id AND o.kind = 'school'
        WHERE p.is_active AND p.account_status = 'active'
        """;

    /// <summary>Active teachers (lead or assistant role) of the schools given, by name.</summary>
    public async Task<List<CeTeacher>> TeachersAsync(IReadOnlyList<Guid> schoolIds, CancellationToken ct)
    {
        var list = await QueryTeachersAsync($"{TeacherSql} AND r.organisation_id = ANY(@schools) ORDER BY p.id, o.id",
            c => c.Parameters.AddWithValue("schools", schoolIds.ToArray()), ct);
        list.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return list;
    }

    /// <summary>The person as a teacher, or null when they hold no teacher role at a school (or are not active).</summary>
    public async Task<CeTeacher?> TeacherAsync(Guid personId, CancellationToken ct)
    {
        var list = await QueryTeachersAsync($"{TeacherSql} AND p.id = @id ORDER BY p.id, o.id", c => c.Parameters.AddWithValue("id", personId), ct);
        return list.Count == 0 ? null : list[0];
    }

    private async Task<List<CeTeacher>> QueryTeachersAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        bind(cmd);
        var list = new List<CeTeacher>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new CeTeacher(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4),
                r.IsDBNull(5) ? null : r.GetString(5)));
        }
        return list;
    }

    /// <summary>The rows set at the organisations on a path (nearest first is the caller's business).</summary>
    public async Task<Dictionary<Guid, (int Total, int Required)>> RequirementsAsync(IReadOnlyList<Guid> organisationIds, int year, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT organisation_id, total_hours, required_hours FROM ce_requirements WHERE organisation_id = ANY(@o) AND year = @y");
        cmd.Parameters.AddWithValue("o", organisationIds.ToArray());
        cmd.Parameters.AddWithValue("y", year);
        var map = new Dictionary<Guid, (int, int)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            map[r.GetGuid(0)] = (r.GetInt32(1), r.GetInt32(2));
        }
        return map;
    }

    /// <summary>Sets a requirement and audits the change, in one transaction.</summary>
    public async Task SetRequirementAsync(Guid organisationId, int year, int total, int required, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        int? before = null;
        await using (var cmd = new NpgsqlCommand(
            "SELECT total_hours FROM ce_requirements WHERE organisation_id = @o AND year = @y FOR UPDATE", conn, tx))
        {
            cmd.Parameters.AddWithValue("o", organisationId);
            cmd.Parameters.AddWithValue("y", year);
            before = await cmd.ExecuteScalarAsync(ct) as int?;
        }
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO ce_requirements (organisation_id, year, total_hours, required_hours, updated_by, updated_at)
            VALUES (@o, @y, @t, @r, @by, @now)
            ON CONFLICT (organisation_id, year) DO UPDATE SET total_hours = excluded.total_hours, required_hours = excluded.required_hours,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("o", organisationId);
            cmd.Parameters.AddWithValue("y", year);
            cmd.Parameters.AddWithValue("t", total);
            cmd.Parameters.AddWithValue("r", required);
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await Persistence.AuditLog.WriteAsync(conn, tx, now, actor, "ce_requirement.set", "organisation", organisationId, organisationId,
            new { year, totalHours = total, requiredHours = required, previousTotalHours = before }, ct);
        await tx.CommitAsync(ct);
    }

    public async Task<List<CeCreditView>> CreditsAsync(IReadOnlyList<Guid> personIds, int year, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT c.id, c.person_id, c.year, c.kind, c.evidence_id, c.evidence_date, c.minutes, c.note, p.display_name
            FROM ce_credits c LEFT JOIN people p ON p.id = c.created_by
            WHERE c.person_id = ANY(@p) AND c.year = @y
            ORDER BY c.evidence_date, c.kind, c.evidence_id
            """);
        cmd.Parameters.AddWithValue("p", personIds.ToArray());
        cmd.Parameters.AddWithValue("y", year);
        var list = new List<CeCreditView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            var minutes = r.GetInt32(6);
            list.Add(new CeCreditView(r.GetGuid(0), r.GetGuid(1), r.GetInt32(2), r.GetString(3), r.GetString(4), r.GetFieldValue<DateOnly>(5),
                minutes, CeRules.Hours(minutes), r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8)));
        }
        return list;
    }

    /// <summary>The credit's person and kind, or null when unknown.</summary>
    public async Task<(Guid PersonId, string Kind, int Minutes, DateOnly Date)?> CreditAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT person_id, kind, minutes, evidence_date FROM ce_credits WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var r = await cmd.ExecuteReaderAsync(ct);
        return await r.ReadAsync(ct) ? (r.GetGuid(0), r.GetString(1), r.GetInt32(2), r.GetFieldValue<DateOnly>(3)) : null;
    }

    /// <summary>Adds a 校本研修 credit with its audit entry; the credit names itself as its evidence.</summary>
    public async Task<Guid> AddTrainingAsync(Guid personId, Guid schoolId, DateOnly date, int minutes, string note, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO ce_credits (id, person_id, year, kind, evidence_id, evidence_date, minutes, note, created_by, created_at)
            VALUES (@id, @p, @y, 'school_training', @e, @d, @m, @note, @by, @now)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("p", personId);
            cmd.Parameters.AddWithValue("y", date.Year);
            cmd.Parameters.AddWithValue("e", id.ToString());
            cmd.Parameters.AddWithValue("d", date);
            cmd.Parameters.AddWithValue("m", minutes);
            cmd.Parameters.AddWithValue("note", note);
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await Persistence.AuditLog.WriteAsync(conn, tx, now, actor, "ce_credit.add", "ce_credit", id, schoolId,
            new { personId, kind = CeRules.SchoolTraining, date, minutes, note }, ct);
        await tx.CommitAsync(ct);
        return id;
    }

    /// <summary>Removes a 校本研修 credit with its audit entry; false when it was already gone.</summary>
    public async Task<bool> RemoveTrainingAsync(Guid id, Guid schoolId, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand(
            "DELETE FROM ce_credits WHERE id = @id AND kind = 'school_training' RETURNING person_id, minutes, evidence_date", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            if (!await r.ReadAsync(ct))
            {
                return false;
            }
            var details = new { personId = r.GetGuid(0), kind = CeRules.SchoolTraining, minutes = r.GetInt32(1), date = r.GetFieldValue<DateOnly>(2) };
            await r.CloseAsync();
            await Persistence.AuditLog.WriteAsync(conn, tx, now, actor, "ce_credit.remove", "ce_credit", id, schoolId, details, ct);
        }
        await tx.CommitAsync(ct);
        return true;
    }

    /// <summary>
    /// Makes the computed credits of <paramref name="personIds"/> for <paramref name="year"/> exactly
    /// <paramref name="evidence"/>: new evidence is inserted, changed minutes or dates updated, vanished evidence removed.
    /// Keyed by (person, kind, evidence id), so running it twice changes nothing the second time. Each school whose
    /// teachers' credits changed gets one audit entry, in the same transaction.
    /// </summary>
    public async Task<CeSyncResult> SyncAsync(
        IReadOnlyList<CeTeacher> teachers, int year, IReadOnlyList<CeEvidence> evidence, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var changedPeople = new Dictionary<Guid, (int Added, int Updated, int Removed)>();
        void Count(Guid person, int a, int u, int d)
        {
            var (x, y, z) = changedPeople.GetValueOrDefault(person);
            changedPeople[person] = (x + a, y + u, z + d);
        }
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO ce_credits AS c (id, person_id, year, kind, evidence_id, evidence_date, minutes, created_at)
            SELECT * FROM unnest(@ids::uuid[], @p::uuid[], @y::int[], @k::text[], @e::text[], @d::date[], @m::int[], @at::timestamptz[])
            ON CONFLICT (person_id, kind, evidence_id) DO UPDATE
                SET minutes = excluded.minutes, evidence_date = excluded.evidence_date, year = excluded.year
                WHERE c.created_by IS NULL AND (c.minutes, c.evidence_date, c.year) IS DISTINCT FROM (excluded.minutes, excluded.evidence_date, excluded.year)
            RETURNING c.person_id, (xmax = 0)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("ids", evidence.Select(_ => Guid.CreateVersion7()).ToArray());
            cmd.Parameters.AddWithValue("p", evidence.Select(e => e.PersonId).ToArray());
            cmd.Parameters.AddWithValue("y", evidence.Select(e => e.Date.Year).ToArray());
            cmd.Parameters.AddWithValue("k", evidence.Select(e => e.Kind).ToArray());
            cmd.Parameters.AddWithValue("e", evidence.Select(e => e.EvidenceId).ToArray());
            cmd.Parameters.AddWithValue("d", evidence.Select(e => e.Date).ToArray());
            cmd.Parameters.AddWithValue("m", evidence.Select(e => e.Minutes).ToArray());
            cmd.Parameters.AddWithValue("at", evidence.Select(_ => now).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                Count(r.GetGuid(0), r.GetBoolean(1) ? 1 : 0, r.GetBoolean(1) ? 0 : 1, 0);
            }
        }
        await using (var cmd = new NpgsqlCommand("""
            DELETE FROM ce_credits c
            WHERE c.person_id = ANY(@people) AND c.year = @year AND c.created_by IS NULL
              AND NOT EXISTS (SELECT 1 FROM unnest(@p::uuid[], @k::text[], @e::text[]) AS x(p, k, e)
                              WHERE x.p = c.person_id AND x.k = c.kind AND x.e = c.evidence_id)
            RETURNING c.person_id
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("people", teachers.Select(t => t.PersonId).ToArray());
            cmd.Parameters.AddWithValue("year", year);
            cmd.Parameters.AddWithValue("p", evidence.Select(e => e.PersonId).ToArray());
            cmd.Parameters.AddWithValue("k", evidence.Select(e => e.Kind).ToArray());
            cmd.Parameters.AddWithValue("e", evidence.Select(e => e.EvidenceId).ToArray());
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                Count(r.GetGuid(0), 0, 0, 1);
            }
        }
        foreach (var school in teachers.Where(t => changedPeople.ContainsKey(t.PersonId)).GroupBy(t => t.SchoolId))
        {
            var people = school.Select(t => new { personId = t.PersonId, added = changedPeople[t.PersonId].Added,
                updated = changedPeople[t.PersonId].Updated, removed = changedPeople[t.PersonId].Removed }).ToList();
            await Persistence.AuditLog.WriteAsync(conn, tx, now, null, "ce_credit.recompute", "organisation", school.Key, school.Key,
                new { year, people }, ct);
        }
        await tx.CommitAsync(ct);
        return new CeSyncResult(changedPeople.Values.Sum(v => v.Added), changedPeople.Values.Sum(v => v.Updated), changedPeople.Values.Sum(v => v.Removed));
    }
}
