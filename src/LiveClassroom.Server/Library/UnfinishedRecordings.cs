using Dapper;
using Npgsql;

namespace LiveClassroom.Server.Library;

/// <summary>
/// Recordings of a school that have no library resource yet (being recorded, paused, being processed, or failed),
/// with their finalize job's state and progress: what 我的录课 shows before a draft exists.
/// </summary>
public static class UnfinishedRecordings
{
    public sealed record Item(Guid Id, string RoomId, string Status, DateTime StartedAt, DateTime? EndedAt, double? DurationSeconds,
        string? FailureReason, string? JobStatus, int? Progress);

    public static async Task<IReadOnlyList<Item>> OfSchoolAsync(NpgsqlDataSource db, Guid schoolId, Guid personId, int limit = 50)
    {
        await using var conn = await db.OpenConnectionAsync();
        var rows = await conn.QueryAsync<Item>("""
            SELECT r.id, r.room_id AS RoomId, r.status, r.started_at AS StartedAt, r.ended_at AS EndedAt,
                   r.duration_seconds AS DurationSeconds, r.failure_reason AS FailureReason,
                   j.status AS JobStatus, j.progress AS Progress
            FROM recordings r
            LEFT JOIN LATERAL (
                SELECT status, progress FROM jobs
                WHERE kind = 'recording.finalize' AND dedupe_key = replace(r.id::text, '-', '')
                ORDER BY id DESC LIMIT 1) j ON true
            WHERE (r.school_id = @schoolId OR r.teacher_id = @personId)
              AND r.status <> 'ready'
              AND NOT EXISTS (SELECT 1 FROM resources x WHERE x.recording_id = r.id)
            ORDER BY r.started_at DESC
            LIMIT @limit
            """, new { schoolId, personId, limit });
        return [.. rows];
    }
}
