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
        var result = await ScalarAsync("recordings", "SELECT EXISTS (SELECT 1 FROM recordings WHERE id = @id)", recordingId, ct);
        if (result is DBNull)
        {
            LogNoLibrary(logger);
        }
        return result is true;
    }

    public async Task<Guid?> ResourceIdAsync(Guid recordingId, CancellationToken ct) =>
        await ScalarAsync("resources", "SELECT id FROM resources WHERE recording_id = @id", recordingId, ct) is Guid id ? id : null;

    public async Task<double?> DurationSecondsAsync(Guid recordingId, CancellationToken ct) =>
        await ScalarAsync("recordings", "SELECT duration_seconds FROM recordings WHERE id = @id", recordingId, ct) is double seconds ? seconds : null;

    /// <summary>
    /// One value about a recording: <see cref="DBNull"/> while <paramref name="table"/> does not exist yet, null when the
    /// lookup fails (the library's table shape differs from the assumed one: said in the log rather than failing the request).
    /// </summary>
    private async Task<object?> ScalarAsync(string table, string query, Guid recordingId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand($"SELECT CASE WHEN to_regclass('{table}') IS NULL THEN NULL ELSE ({query}) END");
        cmd.Parameters.AddWithValue("id", recordingId);
        try
        {
            return await cmd.ExecuteScalarAsync(ct);
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
