using Dapper;
using Npgsql;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// The recordings tables. Status changes are guarded by the state they leave, so a late or repeated call changes nothing.
/// While a recording runs, only its owner (<c>node_id</c>) writes it: every write of a recorder names its node, so a node
/// that lost the recording to a continuation elsewhere (<see cref="ContinueAsync"/>) can no longer end, fail or extend it.
/// </summary>
public sealed class RecordingStore(NpgsqlDataSource db)
{
    private const string Columns = """
        id, room_id AS RoomId, school_id AS SchoolId, teacher_id AS TeacherId, status, node_id AS NodeId, ffmpeg_pid AS FfmpegPid,
        started_at AS StartedAt, ended_at AS EndedAt, paused_seconds AS PausedSeconds, duration_seconds AS DurationSeconds,
        playable, has_video AS HasVideo, parts, incidents, failure_reason AS FailureReason, recovered, metadata::text AS Metadata,
        lease_until AS LeaseUntil, owned_since AS OwnedSince, continuations
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

    /// <summary>
    /// Reserves the next part number for the owner; null when <paramref name="nodeId"/> no longer owns the running recording.
    /// Numbers come from the row, so a node continuing the recording numbers its parts after every part ever started.
    /// </summary>
    public async Task<int?> ReservePartAsync(Guid id, string nodeId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<int?>("""
            UPDATE recordings SET parts = parts + 1, updated_at = now()
            WHERE id = @id AND node_id = @nodeId AND status IN ('recording', 'paused')
            RETURNING parts - 1
            """, new { id, nodeId });
    }

    public async Task SetPartAsync(Guid id, string nodeId, int pid, bool hasVideo)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE recordings SET ffmpeg_pid = @pid, has_video = has_video OR @hasVideo, updated_at = now()
            WHERE id = @id AND node_id = @nodeId
            """, new { id, nodeId, pid, hasVideo });
    }

    public async Task SetPausedAsync(Guid id, string nodeId, bool paused, double pausedSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            UPDATE recordings SET status = @status, paused_seconds = @pausedSeconds, updated_at = now()
            WHERE id = @id AND node_id = @nodeId AND status IN ('recording', 'paused')
            """, new { id, nodeId, status = paused ? "paused" : "recording", pausedSeconds });
    }

    public async Task RecordIncidentAsync(Guid id, string reason)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync(
            "UPDATE recordings SET incidents = incidents + 1, failure_reason = @reason, updated_at = now() WHERE id = @id",
            new { id, reason = Limit(reason) });
    }

    /// <summary>Ends the recording (→ finalizing); false when <paramref name="nodeId"/> does not own it running (nothing changes).</summary>
    public async Task<bool> EndAsync(Guid id, string nodeId, double pausedSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteAsync("""
            UPDATE recordings SET status = 'finalizing', ended_at = now(), paused_seconds = @pausedSeconds, ffmpeg_pid = NULL, updated_at = now()
            WHERE id = @id AND node_id = @nodeId AND status IN ('recording', 'paused')
            """, new { id, nodeId, pausedSeconds }) == 1;
    }

    /// <summary>
    /// Lets go of a running recording without ending it (this node is shutting down while the class goes on): the lease
    /// runs out now, so the node the class moves to continues it at once, and a recovery sweep finalizes it only if no
    /// node has within <c>Recordings:ContinueGraceSeconds</c>. False when <paramref name="nodeId"/> does not own it running.
    /// </summary>
    public async Task<bool> ReleaseAsync(Guid id, string nodeId, double pausedSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteAsync("""
            UPDATE recordings SET lease_until = now(), paused_seconds = @pausedSeconds, ffmpeg_pid = NULL, updated_at = now()
            WHERE id = @id AND node_id = @nodeId AND status IN ('recording', 'paused')
            """, new { id, nodeId, pausedSeconds }) == 1;
    }

    /// <summary>Marks the recording failed; false when <paramref name="nodeId"/> does not own it (a continuation elsewhere goes on).</summary>
    public async Task<bool> FailAsync(Guid id, string nodeId, string reason, double pausedSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteAsync("""
            UPDATE recordings SET status = 'failed', failure_reason = @reason, incidents = incidents + 1,
                ended_at = coalesce(ended_at, now()), paused_seconds = @pausedSeconds, ffmpeg_pid = NULL, updated_at = now()
            WHERE id = @id AND node_id = @nodeId AND status IN ('recording', 'paused', 'finalizing')
            """, new { id, nodeId, reason = Limit(reason), pausedSeconds }) == 1;
    }

    /// <summary>Renews this node's leases; returns the ids it still owns running (the others were continued elsewhere or ended).</summary>
    public async Task<IReadOnlyList<Guid>> RenewLeasesAsync(IReadOnlyCollection<Guid> ids, string nodeId, int leaseSeconds)
    {
        if (ids.Count == 0)
        {
            return [];
        }
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<Guid>("""
            UPDATE recordings SET lease_until = now() + make_interval(secs => @lease)
            WHERE id = ANY(@ids) AND node_id = @nodeId AND status IN ('recording', 'paused')
            RETURNING id
            """, new { ids = ids.ToArray(), nodeId, lease = (double)leaseSeconds })];
    }

    /// <summary>
    /// The node where a live class now runs takes over the room's running recording, whoever held it and however fresh
    /// its lease: the class's activation here is the proof that the old owner no longer hosts the class (its media
    /// cannot reach that node any more). One compare-and-set under the room's lock; null when the room has no running
    /// recording (none was made, it was stopped, or a recovery sweep already claimed it for finalizing).
    /// </summary>
    public async Task<RecordingRow?> ContinueAsync(string roomId, string nodeId, int leaseSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        await using var tx = await conn.BeginTransactionAsync();
        await conn.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtextextended('recording-room:' || @roomId, 0))", new { roomId }, tx);
        var row = await conn.QuerySingleOrDefaultAsync<RecordingRow>($"""
            UPDATE recordings SET node_id = @nodeId, owned_since = clock_timestamp(), lease_until = now() + make_interval(secs => @lease),
                ffmpeg_pid = NULL, continuations = continuations + 1, updated_at = now()
            WHERE id = (SELECT id FROM recordings WHERE room_id = @roomId AND status IN ('recording', 'paused') ORDER BY started_at DESC LIMIT 1)
              AND status IN ('recording', 'paused')
            RETURNING {Columns}
            """, new { roomId, nodeId, lease = (double)leaseSeconds }, tx);
        await tx.CommitAsync();
        return row;
    }

    /// <summary>The room's most recent recording, whatever its status.</summary>
    public async Task<RecordingRow?> LatestInRoomAsync(string roomId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QueryFirstOrDefaultAsync<RecordingRow>(
            $"SELECT {Columns} FROM recordings WHERE room_id = @roomId ORDER BY started_at DESC LIMIT 1", new { roomId });
    }

    /// <summary>
    /// Running recordings nobody drives: ones whose owner's lease ran out, and (with <paramref name="includeOwn"/>) ones
    /// this node took before <paramref name="ownedBefore"/> — the instance's boot, so a recording this instance starts or
    /// continues while the start-up sweep runs is never mistaken for one a previous instance left behind.
    /// </summary>
    public async Task<IReadOnlyList<RecordingRow>> OrphansAsync(
        string nodeId, bool includeOwn, IReadOnlyCollection<Guid> alive, DateTimeOffset ownedBefore)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<RecordingRow>($"""
            SELECT {Columns} FROM recordings
            WHERE status IN ('recording', 'paused')
              AND NOT (id = ANY(@alive))
              AND ((@includeOwn AND node_id = @nodeId AND owned_since < @ownedBefore) OR lease_until < now())
            """, new { nodeId, includeOwn, alive = alive.ToArray(), ownedBefore })];
    }

    /// <summary>
    /// Claims an orphan for finalizing (→ finalizing) only in the ownership the sweep examined: same node, same
    /// <c>owned_since</c>, still running and still unrenewed. A continuation or a renewal in between wins; null then.
    /// </summary>
    public async Task<RecordingRow?> ClaimOrphanAsync(RecordingRow seen, string nodeId, bool includeOwn, DateTimeOffset ownedBefore)
    {
        ArgumentNullException.ThrowIfNull(seen);
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleOrDefaultAsync<RecordingRow>($"""
            UPDATE recordings SET status = 'finalizing', recovered = true, ended_at = coalesce(ended_at, updated_at), updated_at = now()
            WHERE id = @id AND status IN ('recording', 'paused') AND node_id = @seenNode AND owned_since = @seenSince
              AND ((@includeOwn AND node_id = @nodeId AND owned_since < @ownedBefore) OR lease_until < now())
            RETURNING {Columns}
            """, new { id = seen.Id, seenNode = seen.NodeId, seenSince = seen.OwnedSince, nodeId, includeOwn, ownedBefore });
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
