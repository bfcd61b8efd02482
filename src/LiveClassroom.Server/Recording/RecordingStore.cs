using Dapper;
using Npgsql;

namespace LiveClassroom.Server.Recording;

/// <summary>The recordings tables. Status changes are guarded by the state they leave, so a late or repeated call changes nothing.</summary>
public sealed class RecordingStore(NpgsqlDataSource db)
{
    private const string Columns = """
        id, room_id AS RoomId, school_id AS SchoolId, teacher_id AS TeacherId, status, node_id AS NodeId, ffmpeg_pid AS FfmpegPid,
        started_at AS StartedAt, ended_at AS EndedAt, paused_seconds AS PausedSeconds, duration_seconds AS DurationSeconds,
        playable, has_video AS HasVideo, parts, incidents, failure_reason AS FailureReason, recovered, metadata::text AS Metadata
        """;

    /// <summary>
    /// Inserts a recording unless the room already has an active one (recording or paused); false then. One room's
    /// starts are serialised by a transaction-scoped advisory lock, so two nodes or two requests racing cannot both win.
    /// </summary>
    public async Task<bool> InsertIfNoneActiveAsync(Guid id, string roomId, Guid schoolId, Guid? teacherId, string nodeId, int leaseSeconds, string metadataJson)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended('recording-room:' || @roomId, 0))", new { roomId }, tx);
        var inserted = await conn.ExecuteAsync("""
            INSERT INTO recordings (id, room_id, school_id, teacher_id, status, node_id, lease_until, metadata)
            SELECT @id, @roomId, @schoolId, @teacherId, 'recording', @nodeId, now() + make_interval(secs => @leaseSeconds), @metadataJson::jsonb
            WHERE NOT EXISTS (SELECT 1 FROM recordings WHERE room_id = @roomId AND status IN ('recording', 'paused'))
            """, new { id, roomId, schoolId, teacherId, nodeId, leaseSeconds = (double)leaseSeconds, metadataJson }, tx);
        await tx.CommitAsync();
        return inserted == 1;
    }

    public async Task<RecordingRow?> GetAsync(Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<RecordingRow>($"SELECT {Columns} FROM recordings WHERE id = @id", new { id });
    }

    public async Task<RecordingRow?> ActiveInRoomAsync(string roomId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QueryFirstOrDefaultAsync<RecordingRow>(
            $"SELECT {Columns} FROM recordings WHERE room_id = @roomId AND status IN ('recording', 'paused') ORDER BY started_at DESC LIMIT 1",
            new { roomId });
    }

    public async Task<IReadOnlyList<ChapterRow>> ChaptersAsync(Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<ChapterRow>(
            "SELECT offset_seconds AS OffsetSeconds, type, label_zh AS LabelZh, label_en AS LabelEn FROM recording_chapters WHERE recording_id = @id ORDER BY offset_seconds, id",
            new { id })];
    }

    public async Task AddChapterAsync(Guid id, double offsetSeconds, string type, string labelZh, string labelEn)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO recording_chapters (recording_id, offset_seconds, type, label_zh, label_en)
            VALUES (@id, @offsetSeconds, @type, @labelZh, @labelEn)
            """, new { id, offsetSeconds = Math.Max(0, offsetSeconds), type, labelZh, labelEn });
    }

    public async Task SetPartAsync(Guid id, int parts, int pid, bool hasVideo)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE recordings SET parts = @parts, ffmpeg_pid = @pid, has_video = has_video OR @hasVideo, updated_at = now()
            WHERE id = @id
            """, new { id, parts, pid, hasVideo });
    }

    public async Task SetPausedAsync(Guid id, bool paused, double pausedSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE recordings SET status = @status, paused_seconds = @pausedSeconds, updated_at = now()
            WHERE id = @id AND status IN ('recording', 'paused')
            """, new { id, status = paused ? "paused" : "recording", pausedSeconds });
    }

    public async Task RecordIncidentAsync(Guid id, string reason)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(
            "UPDATE recordings SET incidents = incidents + 1, failure_reason = @reason, updated_at = now() WHERE id = @id",
            new { id, reason = Limit(reason) });
    }

    public async Task EndAsync(Guid id, double pausedSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE recordings SET status = 'finalizing', ended_at = now(), paused_seconds = @pausedSeconds, ffmpeg_pid = NULL, updated_at = now()
            WHERE id = @id AND status IN ('recording', 'paused')
            """, new { id, pausedSeconds });
    }

    public async Task FailAsync(Guid id, string reason, double pausedSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE recordings SET status = 'failed', failure_reason = @reason, incidents = incidents + 1,
                ended_at = coalesce(ended_at, now()), paused_seconds = @pausedSeconds, ffmpeg_pid = NULL, updated_at = now()
            WHERE id = @id AND status IN ('recording', 'paused', 'finalizing')
            """, new { id, reason = Limit(reason), pausedSeconds });
    }

    public async Task RenewLeasesAsync(IReadOnlyCollection<Guid> ids, string nodeId, int leaseSeconds)
    {
        if (ids.Count == 0)
        {
            return;
        }
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE recordings SET lease_until = now() + make_interval(secs => @lease)
            WHERE id = ANY(@ids) AND node_id = @nodeId AND status IN ('recording', 'paused')
            """, new { ids = ids.ToArray(), nodeId, lease = (double)leaseSeconds });
    }

    /// <summary>
    /// Takes over recordings whose recorder is gone: this node's own (called at start-up, when none of them can
    /// be alive) or any whose owner stopped renewing its lease. They move to "finalizing".
    /// </summary>
    /// <summary>
    /// Claims recordings nobody drives: ones whose node's lease ran out, and (with <paramref name="includeOwn"/>) this
    /// node's own that were started before <paramref name="ownStartedBefore"/> — the instance's boot, so a recording this
    /// instance starts while the start-up sweep runs is never mistaken for one a previous instance left behind.
    /// </summary>
    public async Task<IReadOnlyList<RecordingRow>> ClaimOrphansAsync(
        string nodeId, bool includeOwn, IReadOnlyCollection<Guid> alive, DateTimeOffset ownStartedBefore)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<RecordingRow>($"""
            UPDATE recordings SET status = 'finalizing', recovered = true, ended_at = coalesce(ended_at, updated_at), updated_at = now()
            WHERE status IN ('recording', 'paused')
              AND NOT (id = ANY(@alive))
              AND ((@includeOwn AND node_id = @nodeId AND started_at < @ownStartedBefore) OR lease_until < now())
            RETURNING {Columns}
            """, new { nodeId, includeOwn, alive = alive.ToArray(), ownStartedBefore })];
    }

    public async Task MarkFinalizedAsync(Guid id, double durationSeconds, bool hasVideo)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE recordings SET duration_seconds = @durationSeconds, playable = true, has_video = @hasVideo,
                status = CASE WHEN status = 'finalizing' THEN 'ready' ELSE status END, updated_at = now()
            WHERE id = @id AND status IN ('finalizing', 'ready', 'failed')
            """, new { id, durationSeconds, hasVideo });
    }

    public async Task MarkNothingRecordedAsync(Guid id)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE recordings SET status = 'failed', failure_reason = coalesce(failure_reason, 'nothing was recorded (no media arrived)'), updated_at = now()
            WHERE id = @id AND status IN ('finalizing', 'failed')
            """, new { id });
    }

    private static string Limit(string s) => s.Length > 2000 ? s[..2000] : s;
}
