using System.Text.Json;
using LiveClassroom.Server.Apis.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace LiveClassroom.Server.Persistence;

/// <summary>Class orders in PostgreSQL (migration 0009); each change is written with its audit entry.</summary>
public sealed class ClassOrderStore(NpgsqlDataSource dataSource)
{
    private const string ViewSql = """
        SELECT o.id, o.status, o.school_id, s.name, o.county_id, o.rural_classroom_id, rc.name,
               o.subject, o.grade, o.textbook_edition, o.term_name, o.term_start, o.term_end, o.slots::text, o.weekly_periods, o.note, o.created_at,
               o.lead_school_id, ls.name, o.lead_classroom_id, lc.name, o.lead_teacher_id, lt.display_name,
               o.accepted_at, o.confirmed_at, o.pairing_id
        FROM class_orders o
        JOIN organisations s ON s.id = o.school_id
        JOIN classrooms rc ON rc.id = o.rural_classroom_id
        LEFT JOIN organisations ls ON ls.id = o.lead_school_id
        LEFT JOIN classrooms lc ON lc.id = o.lead_classroom_id
        LEFT JOIN people lt ON lt.id = o.lead_teacher_id
        """;

    public NpgsqlDataSource DataSource => dataSource;

    public async Task<ClassOrderView?> GetAsync(Guid id, CancellationToken ct)
    {
        var list = await QueryAsync($"{ViewSql} WHERE o.id = @id", c => c.Parameters.AddWithValue("id", id), ct);
        return list.Count == 0 ? null : list[0];
    }

    /// <summary>Orders of the counties, and of the schools (an alliance's partners, which may lie in other counties).</summary>
    public Task<List<ClassOrderView>> ListAsync(IReadOnlyList<Guid> countyIds, IReadOnlyList<Guid> schoolIds, string? status, CancellationToken ct) =>
        QueryAsync($"{ViewSql} WHERE (o.county_id = ANY(@c) OR o.school_id = ANY(@schools)) AND (@s::text IS NULL OR o.status = @s) ORDER BY o.created_at DESC LIMIT 500", c =>
        {
            c.Parameters.AddWithValue("c", countyIds.ToArray());
            c.Parameters.AddWithValue("schools", schoolIds.ToArray());
            c.Parameters.Add(new NpgsqlParameter("s", NpgsqlDbType.Text) { Value = (object?)status ?? DBNull.Value });
        }, ct);

    public async Task InsertAsync(ClassOrderView order, Guid actor, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("""
            INSERT INTO class_orders (id, school_id, county_id, rural_classroom_id, subject, grade, textbook_edition, term_name,
                term_start, term_end, slots, weekly_periods, note, status, ordered_by, created_at)
            VALUES (@id, @school, @county, @room, @subject, @grade, @edition, @term, @start, @end, @slots, @periods, @note, 'open', @by, @now)
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", order.Id);
            cmd.Parameters.AddWithValue("school", order.SchoolId);
            cmd.Parameters.AddWithValue("county", order.CountyId);
            cmd.Parameters.AddWithValue("room", order.RuralClassroomId);
            cmd.Parameters.AddWithValue("subject", order.Subject);
            cmd.Parameters.AddWithValue("grade", order.Grade);
            cmd.Parameters.AddWithValue("edition", order.TextbookEdition);
            cmd.Parameters.AddWithValue("term", order.TermName);
            cmd.Parameters.AddWithValue("start", order.TermStart);
            cmd.Parameters.AddWithValue("end", order.TermEnd);
            cmd.Parameters.Add(new NpgsqlParameter("slots", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(order.Slots, JsonSerializerOptions.Web) });
            cmd.Parameters.AddWithValue("periods", order.WeeklyPeriods);
            cmd.Parameters.Add(new NpgsqlParameter("note", NpgsqlDbType.Text) { Value = (object?)order.Note ?? DBNull.Value });
            cmd.Parameters.AddWithValue("by", actor);
            cmd.Parameters.AddWithValue("now", order.CreatedAt);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, order.CreatedAt, actor, "class_order.create", "class_order", order.Id, order.SchoolId,
            new { order.Subject, order.Grade, order.TermName, order.WeeklyPeriods }, ct);
        await tx.CommitAsync(ct);
    }

    /// <summary>The order's status, locked until the transaction ends; null when unknown.</summary>
    public static async Task<string?> LockStatusAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT status FROM class_orders WHERE id = @id FOR UPDATE", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    public static async Task AcceptAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, Guid leadSchool, Guid leadClassroom, Guid leadTeacher, Guid actor, DateTimeOffset now,
        CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE class_orders SET status = 'accepted', lead_school_id = @school, lead_classroom_id = @room, lead_teacher_id = @teacher,
                accepted_by = @by, accepted_at = @now
            WHERE id = @id
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("school", leadSchool);
        cmd.Parameters.AddWithValue("room", leadClassroom);
        cmd.Parameters.AddWithValue("teacher", leadTeacher);
        cmd.Parameters.AddWithValue("by", actor);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task ConfirmAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string pairingId, Guid actor, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "UPDATE class_orders SET status = 'confirmed', pairing_id = @p, confirmed_by = @by, confirmed_at = @now WHERE id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("p", pairingId);
        cmd.Parameters.AddWithValue("by", actor);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<List<ClassOrderGapRow>> GapAsync(Guid countyId, DateOnly today, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT subject, grade,
                   count(*) FILTER (WHERE status = 'open')::int,
                   count(*) FILTER (WHERE status = 'accepted')::int,
                   count(*) FILTER (WHERE status = 'confirmed')::int,
                   count(*) FILTER (WHERE status = 'open' AND term_start <= @today)::int
            FROM class_orders WHERE county_id = @c AND status <> 'cancelled'
            GROUP BY subject, grade ORDER BY subject, grade
            """);
        cmd.Parameters.AddWithValue("c", countyId);
        cmd.Parameters.AddWithValue("today", today);
        var rows = new List<ClassOrderGapRow>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            rows.Add(new ClassOrderGapRow(r.GetString(0), r.GetString(1), r.GetInt32(2), r.GetInt32(3), r.GetInt32(4), r.GetInt32(5)));
        }
        return rows;
    }

    private async Task<List<ClassOrderView>> QueryAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        bind(cmd);
        var list = new List<ClassOrderView>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
            Guid? G(int i) => r.IsDBNull(i) ? null : r.GetGuid(i);
            DateTimeOffset? T(int i) => r.IsDBNull(i) ? null : r.GetFieldValue<DateTimeOffset>(i);
            list.Add(new ClassOrderView(
                r.GetGuid(0), r.GetString(1), r.GetGuid(2), r.GetString(3), r.GetGuid(4), r.GetGuid(5), r.GetString(6),
                r.GetString(7), r.GetString(8), r.GetString(9), r.GetString(10), r.GetFieldValue<DateOnly>(11), r.GetFieldValue<DateOnly>(12),
                JsonSerializer.Deserialize<List<ClassOrderSlot>>(r.GetString(13), JsonSerializerOptions.Web) ?? [], r.GetInt32(14), S(15),
                r.GetFieldValue<DateTimeOffset>(16), G(17), S(18), G(19), S(20), G(21), S(22), T(23), T(24), S(25)));
        }
        return list;
    }
}
