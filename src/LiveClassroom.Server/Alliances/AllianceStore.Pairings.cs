using System.Text.Json;
using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Persistence;
using Npgsql;
using NpgsqlTypes;

namespace LiveClassroom.Server.Alliances;

/// <summary>
/// Pairings an alliance schedules among its member schools (migration 0014), member schools (where members teach),
/// and the lessons members broadcast. A member school is a school where a member holds a role, or their home school.
/// </summary>
public sealed partial class AllianceStore
{
    private const string MemberSchoolsSql = """
        member_schools AS (
            SELECT m.alliance_id, r.organisation_id AS school_id
            FROM alliance_members m JOIN person_roles r ON r.person_id = m.person_id JOIN organisations o ON o.id = r.organisation_id AND o.kind = 'school'
            UNION
            SELECT m.alliance_id, p.organisation_id
            FROM alliance_members m JOIN people p ON p.id = m.person_id JOIN organisations o ON o.id = p.organisation_id AND o.kind = 'school')
        """;

    private const string PairingSql = """
        SELECT p.id, p.status, p.pairing_id, p.subject, p.grade, p.textbook_edition, p.term_name, p.term_start, p.term_end, p.slots::text,
               lc.id, lc.name, ls.id, ls.name, ls.is_rural, p.lead_teacher_id, lt.display_name,
               (SELECT coalesce(jsonb_agg(jsonb_build_object('id', c.id, 'name', c.name, 'schoolId', s.id, 'schoolName', s.name, 'isRural', s.is_rural)
                        ORDER BY x.n), '[]'::jsonb)::text
                FROM unnest(p.rural_classroom_ids) WITH ORDINALITY AS x(cid, n) JOIN classrooms c ON c.id = x.cid JOIN organisations s ON s.id = c.school_id),
               cardinality(p.county_ids), p.created_at, p.created_by, cb.display_name, p.reason, p.decided_at
        FROM alliance_pairings p
        JOIN classrooms lc ON lc.id = p.lead_classroom_id JOIN organisations ls ON ls.id = lc.school_id JOIN people lt ON lt.id = p.lead_teacher_id
        JOIN people cb ON cb.id = p.created_by
        """;

    /// <summary>A pairing row to write; <c>CountyIds</c> are the distinct counties of all its classrooms.</summary>
    public sealed record PairingRow(Guid Id, Guid AllianceId, Guid LeadClassroomId, Guid LeadTeacherId, IReadOnlyList<Guid> RuralClassroomIds,
        IReadOnlyList<Guid> CountyIds, string Subject, string Grade, string TextbookEdition, string TermName, DateOnly TermStart, DateOnly TermEnd,
        IReadOnlyList<ClassOrderSlot> Slots, Guid CreatedBy, DateTimeOffset CreatedAt);

    /// <summary>The classrooms of the alliance's member schools and the members who lead-teach at one of them.</summary>
    public async Task<AlliancePairingOptions> PairingOptionsAsync(Guid id, CancellationToken ct)
    {
        var classrooms = new List<AllianceClassroomRef>();
        await using (var cmd = dataSource.CreateCommand($"""
            WITH {MemberSchoolsSql}
            SELECT DISTINCT c.id, c.name, s.id, s.name, s.is_rural
            FROM member_schools ms JOIN classrooms c ON c.school_id = ms.school_id JOIN organisations s ON s.id = c.school_id
            WHERE ms.alliance_id = @id ORDER BY s.name, c.name, c.id
            """))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                classrooms.Add(new AllianceClassroomRef(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.GetBoolean(4)));
            }
        }
        var teachers = new List<AllianceTeacherOption>();
        await using (var cmd = dataSource.CreateCommand("""
            SELECT DISTINCT p.id, p.display_name, o.id, o.name
            FROM alliance_members m JOIN people p ON p.id = m.person_id
            JOIN person_roles r ON r.person_id = m.person_id AND r.role = 'lead_teacher'
            JOIN organisations o ON o.id = r.organisation_id AND o.kind = 'school'
            WHERE m.alliance_id = @id AND p.is_active AND p.account_status = 'active'
            ORDER BY p.display_name, p.id, o.name
            """))
        {
            cmd.Parameters.AddWithValue("id", id);
            await using var r = await cmd.ExecuteReaderAsync(ct);
            while (await r.ReadAsync(ct))
            {
                teachers.Add(new AllianceTeacherOption(r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetString(3)));
            }
        }
        return new AlliancePairingOptions(classrooms, teachers);
    }

    /// <summary>(one of <paramref name="schools"/>, another school) pairs that share a certified (or assessed) alliance.</summary>
    public async Task<IReadOnlySet<(Guid Mine, Guid Other)>> PartnerSchoolsAsync(IReadOnlyList<Guid> schools, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            WITH {MemberSchoolsSql}
            SELECT DISTINCT a.school_id, b.school_id
            FROM member_schools a JOIN member_schools b ON b.alliance_id = a.alliance_id AND b.school_id <> a.school_id
            JOIN alliances x ON x.id = a.alliance_id AND x.status IN ('certified', 'assessed')
            WHERE a.school_id = ANY(@schools)
            """);
        cmd.Parameters.AddWithValue("schools", schools.ToArray());
        var set = new HashSet<(Guid, Guid)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            set.Add((r.GetGuid(0), r.GetGuid(1)));
        }
        return set;
    }

    /// <summary>
    /// Writes the pairing row with its audit entry while the alliance is locked and active. With
    /// <paramref name="define"/> (one county) the pairing grain is told inside the transaction, as a class order's
    /// confirmation does, and the row is written confirmed; without it the row waits, pending.
    /// </summary>
    public async Task<(Outcome Outcome, string? PairingId)> SchedulePairingAsync(PairingRow row, Func<Task<string>>? define, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var locked = await LockAsync(conn, tx, row.AllianceId, ct);
        if (locked is null)
        {
            return (Outcome.NotFound, null);
        }
        if (!(locked.Value.Status is AllianceRules.Certified or AllianceRules.Assessed))
        {
            return (Outcome.WrongState, null);
        }
        var pairingId = define is null ? null : await define();
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO alliance_pairings (id, alliance_id, status, lead_classroom_id, lead_teacher_id, rural_classroom_ids, county_ids, subject, grade,
                textbook_edition, term_name, term_start, term_end, slots, pairing_id, created_by, created_at, confirmed_by, confirmed_at)
            VALUES (@id, @a, @status, @lc, @lt, @rural, @counties, @subject, @grade, @edition, @term, @start, @end, @slots, @pairing, @by, @now,
                CASE WHEN @pairing::text IS NULL THEN NULL ELSE @by END, CASE WHEN @pairing::text IS NULL THEN NULL ELSE @now END)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", row.Id);
            cmd.Parameters.AddWithValue("a", row.AllianceId);
            cmd.Parameters.AddWithValue("status", pairingId is null ? "pending" : "confirmed");
            cmd.Parameters.AddWithValue("lc", row.LeadClassroomId);
            cmd.Parameters.AddWithValue("lt", row.LeadTeacherId);
            cmd.Parameters.AddWithValue("rural", row.RuralClassroomIds.ToArray());
            cmd.Parameters.AddWithValue("counties", row.CountyIds.ToArray());
            cmd.Parameters.AddWithValue("subject", row.Subject);
            cmd.Parameters.AddWithValue("grade", row.Grade);
            cmd.Parameters.AddWithValue("edition", row.TextbookEdition);
            cmd.Parameters.AddWithValue("term", row.TermName);
            cmd.Parameters.AddWithValue("start", row.TermStart);
            cmd.Parameters.AddWithValue("end", row.TermEnd);
            cmd.Parameters.Add(new NpgsqlParameter("slots", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(row.Slots, JsonSerializerOptions.Web) });
            cmd.Parameters.Add(new NpgsqlParameter("pairing", NpgsqlDbType.Text) { Value = (object?)pairingId ?? DBNull.Value });
            cmd.Parameters.AddWithValue("by", row.CreatedBy);
            cmd.Parameters.AddWithValue("now", row.CreatedAt);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, row.CreatedAt, row.CreatedBy, "alliance.pairing_schedule", "alliance", row.AllianceId, locked.Value.OrganisationId,
            new { alliancePairingId = row.Id, pairingId, row.LeadClassroomId, row.LeadTeacherId, row.RuralClassroomIds, row.Subject, row.Grade, row.TermName,
                weeklyPeriods = row.Slots.Count, crossCounty = row.CountyIds.Count > 1 }, ct);
        await tx.CommitAsync(ct);
        return (Outcome.Done, pairingId);
    }

    /// <summary>Confirms a pending pairing: the grain is told while the row is locked, so a second confirmation finds it confirmed.</summary>
    public async Task<Outcome> ConfirmPairingAsync(Guid allianceId, Guid id, Func<Task<string>> define, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (locked, status) = await LockPairingAsync(conn, tx, allianceId, id, ct);
        if (locked is null || status is null)
        {
            return Outcome.NotFound;
        }
        if (status != "pending" || !(locked.Value.Status is AllianceRules.Certified or AllianceRules.Assessed))
        {
            return Outcome.WrongState;
        }
        var pairingId = await define();
        await using (var cmd = new NpgsqlCommand(
            "UPDATE alliance_pairings SET status = 'confirmed', pairing_id = @p, confirmed_by = @by, confirmed_at = @now WHERE id = @id", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("p", pairingId);
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actor, "alliance.pairing_confirm", "alliance", allianceId, locked.Value.OrganisationId,
            new { alliancePairingId = id, pairingId }, ct);
        await tx.CommitAsync(ct);
        return Outcome.Done;
    }

    /// <summary>
    /// Ends a pending pairing without defining anything: <c>rejected</c> (with the county admin's reason) or
    /// <c>cancelled</c> (withdrawn). Locks the alliance, then the row, in the order confirmation does, so a withdrawal
    /// racing a confirmation waits for it and then finds the pairing confirmed.
    /// </summary>
    public async Task<Outcome> EndPendingPairingAsync(Guid allianceId, Guid id, bool reject, string? reason, Guid actor, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (locked, status) = await LockPairingAsync(conn, tx, allianceId, id, ct);
        switch (status)
        {
            case null:
                return Outcome.NotFound;
            case "confirmed":
                return Outcome.AlreadyConfirmed;
            case not "pending":
                return Outcome.WrongState;
        }
        await using (var cmd = new NpgsqlCommand(
            "UPDATE alliance_pairings SET status = @status, reason = @reason, decided_by = @by, decided_at = @now WHERE id = @id", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("status", reject ? "rejected" : "cancelled");
            cmd.Parameters.Add(new NpgsqlParameter("reason", NpgsqlDbType.Text) { Value = (object?)reason ?? DBNull.Value });
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actor, reject ? "alliance.pairing_reject" : "alliance.pairing_cancel", "alliance", allianceId,
            locked!.Value.OrganisationId, reject ? new { alliancePairingId = id, reason } : new { alliancePairingId = id }, ct);
        await tx.CommitAsync(ct);
        return Outcome.Done;
    }

    /// <summary>
    /// Locks the alliance, then one of its pairing rows, in that order (confirmation and withdrawal alike, so they never
    /// deadlock and the second waits for the first); the pairing's status, null when either is not there.
    /// </summary>
    private static async Task<((string Status, Guid OrganisationId)? Alliance, string? Status)> LockPairingAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid allianceId, Guid id,
        CancellationToken ct)
    {
        var locked = await LockAsync(conn, tx, allianceId, ct);
        if (locked is null)
        {
            return (null, null);
        }
        await using var cmd = new NpgsqlCommand("SELECT status FROM alliance_pairings WHERE id = @id AND alliance_id = @a FOR UPDATE", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("a", allianceId);
        return (locked, await cmd.ExecuteScalarAsync(ct) as string);
    }

    /// <summary>The alliance's pairings, newest first (at most 50), or the one with <paramref name="only"/>.</summary>
    public async Task<List<AlliancePairingView>> PairingsAsync(Guid allianceId, Guid? only, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"""
            {PairingSql}
            WHERE p.alliance_id = @a AND (@only::uuid IS NULL OR p.id = @only::uuid) ORDER BY p.created_at DESC, p.id LIMIT 50
            """);
        cmd.Parameters.AddWithValue("a", allianceId);
        cmd.Parameters.Add(new NpgsqlParameter("only", NpgsqlDbType.Uuid) { Value = (object?)only ?? DBNull.Value });
        var list = new List<AlliancePairingView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new AlliancePairingView(r.GetGuid(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4),
                r.GetString(5), r.GetString(6), r.GetFieldValue<DateOnly>(7), r.GetFieldValue<DateOnly>(8),
                JsonSerializer.Deserialize<List<ClassOrderSlot>>(r.GetString(9), JsonSerializerOptions.Web) ?? [],
                new AllianceClassroomRef(r.GetGuid(10), r.GetString(11), r.GetGuid(12), r.GetString(13), r.GetBoolean(14)), r.GetGuid(15), r.GetString(16),
                JsonSerializer.Deserialize<List<AllianceClassroomRef>>(r.GetString(17), JsonSerializerOptions.Web) ?? [], r.GetInt32(18) > 1, false,
                r.GetFieldValue<DateTimeOffset>(19), r.GetGuid(20), r.GetString(21), r.IsDBNull(22) ? null : r.GetString(22),
                r.IsDBNull(23) ? null : r.GetFieldValue<DateTimeOffset>(23), false));
        }
        return list;
    }

    /// <summary>The newest ended live classes the members taught (the classroom grains' stored state, as the figures count them).</summary>
    public async Task<List<AllianceBroadcastView>> BroadcastsAsync(IReadOnlyCollection<Guid> members, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT g.id, coalesce(g.state->'setup'->>'title', ''), coalesce(g.state->'setup'->'leadTeacher'->>'name', ''), (g.state->>'endedAt')::timestamptz
            FROM grain_state g
            WHERE g.kind = 'classroom' AND g.state->>'status' = 'Ended' AND g.state->>'endedAt' IS NOT NULL
              AND g.state->'setup'->'leadTeacher'->>'id' = ANY(@texts)
            ORDER BY 4 DESC LIMIT 20
            """);
        cmd.Parameters.AddWithValue("texts", members.Select(m => m.ToString()).ToArray());
        var list = new List<AllianceBroadcastView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            list.Add(new AllianceBroadcastView(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3)));
        }
        return list;
    }
}
