using Npgsql;

namespace LiveClassroom.Server.Research;

/// <summary>
/// Looks recordings up in the library's <c>recordings</c> table (migration 0004, owned by the recordings area).
/// Until that table exists no recording exists, so attaching one is refused with a clear error. Report links
/// go to the library resource made from a recording (<c>resources.recording_id</c>) when there is one.
/// </summary>
public sealed partial class SqlRecordingCatalog(NpgsqlDataSource db, ILogger<SqlRecordingCatalog> logger) : IRecordingCatalog
{
    public async Task<bool> ExistsAsync(Guid recordingId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT CASE WHEN to_regclass('recordings') IS NULL THEN NULL
                   ELSE (SELECT EXISTS (SELECT 1 FROM recordings WHERE id = @id)) END
            """);
        cmd.Parameters.AddWithValue("id", recordingId);
        try
        {
            var result = await cmd.ExecuteScalarAsync(ct);
            if (result is bool exists)
            {
                return exists;
            }
            LogNoLibrary(logger);
            return false;
        }
        catch (PostgresException ex)
        {
            // The library's table shape differs from the assumed (id uuid): say so once per call rather than fail the request.
            LogLookupFailed(logger, ex.SqlState, ex.MessageText);
            return false;
        }
    }

    public async Task<Guid?> ResourceIdAsync(Guid recordingId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT CASE WHEN to_regclass('resources') IS NULL THEN NULL
                   ELSE (SELECT id FROM resources WHERE recording_id = @id) END
            """);
        cmd.Parameters.AddWithValue("id", recordingId);
        try
        {
            return await cmd.ExecuteScalarAsync(ct) is Guid id ? id : null;
        }
        catch (PostgresException ex)
        {
            LogLookupFailed(logger, ex.SqlState, ex.MessageText);
            return null;
        }
    }

    public async Task<double?> DurationSecondsAsync(Guid recordingId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("""
            SELECT CASE WHEN to_regclass('recordings') IS NULL THEN NULL
                   ELSE (SELECT duration_seconds FROM recordings WHERE id = @id) END
            """);
        cmd.Parameters.AddWithValue("id", recordingId);
        try
        {
            return await cmd.ExecuteScalarAsync(ct) is double seconds ? seconds : null;
        }
        catch (PostgresException ex)
        {
            LogLookupFailed(logger, ex.SqlState, ex.MessageText);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "No recordings table yet: recording references are refused until the library is installed")]
    private static partial void LogNoLibrary(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording lookup failed: {SqlState} {Message}")]
    private static partial void LogLookupFailed(ILogger logger, string sqlState, string message);
}
