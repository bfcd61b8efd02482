using Dapper;
using Npgsql;

namespace LiveClassroom.Server.Library;

/// <summary>Views, watch completion and ratings, and the ranking built from them.</summary>
public sealed class LibraryStatsStore(NpgsqlDataSource db)
{
    public async Task<Guid> StartViewAsync(Guid resourceId, Guid personId)
    {
        await using var conn = await db.OpenConnectionAsync();
        var id = Guid.CreateVersion7();
        await conn.ExecuteAsync("INSERT INTO resource_views (id, resource_id, person_id) VALUES (@id, @resourceId, @personId)",
            new { id, resourceId, personId });
        return id;
    }

    /// <summary>Raises the session's furthest position; completion = furthest / duration (capped at 1). False if not the viewer's session.</summary>
    public async Task<double?> ProgressAsync(Guid viewId, Guid personId, double positionSeconds)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.ExecuteScalarAsync<double?>("""
            UPDATE resource_views v SET
                max_position_seconds = greatest(v.max_position_seconds, least(@position, r.duration_seconds)),
                completion = CASE WHEN r.duration_seconds > 0
                    THEN least(1.0, greatest(v.max_position_seconds, @position) / r.duration_seconds) ELSE 0 END
            FROM resources r
            WHERE v.id = @viewId AND v.person_id = @personId AND r.id = v.resource_id
            RETURNING v.completion
            """, new { viewId, personId, position = Math.Max(0, positionSeconds) });
    }

    public async Task RateAsync(Guid resourceId, Guid personId, int stars)
    {
        await using var conn = await db.OpenConnectionAsync();
        await conn.ExecuteAsync("""
            INSERT INTO resource_ratings (resource_id, person_id, stars) VALUES (@resourceId, @personId, @stars)
            ON CONFLICT (resource_id, person_id) DO UPDATE SET stars = EXCLUDED.stars, rated_at = now()
            """, new { resourceId, personId, stars = (short)stars });
    }

    public async Task<ResourceStats> StatsAsync(Guid resourceId, Guid personId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleAsync<ResourceStats>("""
            SELECT (SELECT count(*) FROM resource_views WHERE resource_id = @resourceId) AS Views,
                   coalesce((SELECT avg(completion) FROM resource_views WHERE resource_id = @resourceId), 0)::float8 AS AverageCompletion,
                   (SELECT avg(stars)::float8 FROM resource_ratings WHERE resource_id = @resourceId) AS RatingAverage,
                   (SELECT count(*) FROM resource_ratings WHERE resource_id = @resourceId) AS RatingCount,
                   (SELECT stars::int FROM resource_ratings WHERE resource_id = @resourceId AND person_id = @personId) AS MyRating
            """, new { resourceId, personId });
    }

    /// <summary>
    /// Published resources ranked by activity since <paramref name="since"/>:
    /// score = bayesian rating (prior 3 stars weighing as 2 ratings) × (0.5 + average completion) × ln(2 + views).
    /// </summary>
    public async Task<IReadOnlyList<RankingRow>> RankingAsync(DateTime since, int limit)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<RankingRow>("""
            WITH v AS (
                SELECT resource_id, count(*) AS views, avg(completion) AS completion
                FROM resource_views WHERE started_at >= @since GROUP BY resource_id),
            g AS (
                SELECT resource_id, count(*) AS n, sum(stars) AS total, avg(stars)::float8 AS average
                FROM resource_ratings WHERE rated_at >= @since GROUP BY resource_id)
            SELECT r.id, r.title, r.subject, r.grade, r.teacher_name AS TeacherName, r.school_name AS SchoolName,
                   coalesce(v.views, 0) AS Views, coalesce(v.completion, 0)::float8 AS AverageCompletion,
                   g.average AS RatingAverage, coalesce(g.n, 0) AS RatingCount,
                   ((3.0 * 2 + coalesce(g.total, 0)) / (2 + coalesce(g.n, 0)))
                     * (0.5 + coalesce(v.completion, 0)) * ln(2 + coalesce(v.views, 0)) AS Score
            FROM resources r
            LEFT JOIN v ON v.resource_id = r.id
            LEFT JOIN g ON g.resource_id = r.id
            WHERE r.status = 'published' AND (v.resource_id IS NOT NULL OR g.resource_id IS NOT NULL)
            ORDER BY Score DESC, r.id
            LIMIT @limit
            """, new { since = DateTime.SpecifyKind(since, DateTimeKind.Utc), limit = Math.Clamp(limit, 1, 100) })];
    }

    /// <summary>Start of the period: "month" = the last 30 days; "term" = this school term (spring from 1 Feb, autumn from 1 Aug).</summary>
    public static DateTime PeriodStart(string period, DateTime nowUtc) => period switch
    {
        "month" => nowUtc.AddDays(-30),
        _ => nowUtc.Month switch
        {
            >= 8 => new DateTime(nowUtc.Year, 8, 1, 0, 0, 0, DateTimeKind.Utc),
            >= 2 => new DateTime(nowUtc.Year, 2, 1, 0, 0, 0, DateTimeKind.Utc),
            _ => new DateTime(nowUtc.Year - 1, 8, 1, 0, 0, 0, DateTimeKind.Utc),
        },
    };
}
