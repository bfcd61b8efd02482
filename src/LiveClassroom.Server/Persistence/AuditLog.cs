using System.Text.Json;
using LiveClassroom.Server.Apis.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace LiveClassroom.Server.Persistence;

/// <summary>
/// Admin actions, written in the same transaction as the change they describe so the log cannot miss one.
/// Callers pass details without secrets: never passwords, tokens or pairing codes.
/// </summary>
public sealed class AuditLog(NpgsqlDataSource dataSource)
{
    public static async Task WriteAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, DateTimeOffset at, Guid? actorId, string action, string targetType,
        Guid? targetId, Guid? organisationId, object? details, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO audit_log (at, actor_id, action, target_type, target_id, organisation_id, details)
            VALUES (@at, @actor, @action, @type, @target, @org, @details)
            """, conn, tx);
        cmd.Parameters.AddWithValue("at", at);
        cmd.Parameters.Add(new NpgsqlParameter("actor", NpgsqlDbType.Uuid) { Value = (object?)actorId ?? DBNull.Value });
        cmd.Parameters.AddWithValue("action", action);
        cmd.Parameters.AddWithValue("type", targetType);
        cmd.Parameters.Add(new NpgsqlParameter("target", NpgsqlDbType.Uuid) { Value = (object?)targetId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("org", NpgsqlDbType.Uuid) { Value = (object?)organisationId ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("details", NpgsqlDbType.Jsonb)
        {
            Value = JsonSerializer.Serialize(details ?? new { }, JsonSerializerOptions.Web),
        });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<IReadOnlyList<AuditEntry>> ListAsync(IReadOnlyList<Guid> organisationIds, int limit, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT a.at, a.actor_id, p.display_name, a.action, a.target_type, a.target_id, a.organisation_id, a.details::text
            FROM audit_log a LEFT JOIN people p ON p.id = a.actor_id
            WHERE a.organisation_id = ANY(@orgs)
            ORDER BY a.at DESC, a.id DESC LIMIT @limit
            """);
        cmd.Parameters.AddWithValue("orgs", organisationIds.ToArray());
        cmd.Parameters.AddWithValue("limit", limit);
        var list = new List<AuditEntry>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            using var details = JsonDocument.Parse(reader.GetString(7));
            list.Add(new AuditEntry(
                reader.GetFieldValue<DateTimeOffset>(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.IsDBNull(2) ? null : reader.GetString(2),
                reader.GetString(3), reader.GetString(4), reader.IsDBNull(5) ? null : reader.GetGuid(5), reader.IsDBNull(6) ? null : reader.GetGuid(6),
                details.RootElement.Clone()));
        }
        return list;
    }
}
