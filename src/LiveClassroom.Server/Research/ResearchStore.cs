using System.Text.Json;
using Npgsql;
using NpgsqlTypes;

namespace LiveClassroom.Server.Research;

/// <summary>The research tables of migration 0005, through plain SQL.</summary>
public sealed partial class ResearchStore(NpgsqlDataSource db)
{
    private static readonly JsonSerializerOptions Json = JsonSerializerOptions.Web;

    public async Task<string?> OrganisationKindAsync(Guid organisationId, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT kind FROM organisations WHERE id = @id");
        cmd.Parameters.AddWithValue("id", organisationId);
        return await cmd.ExecuteScalarAsync(ct) as string;
    }

    /// <summary>Display names and home organisations of the given people that exist and are active.</summary>
    public async Task<Dictionary<Guid, (string Name, Guid OrganisationId)>> PeopleAsync(IEnumerable<Guid> ids, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand("SELECT id, display_name, organisation_id FROM people WHERE id = ANY(@ids) AND is_active");
        cmd.Parameters.AddWithValue("ids", ids.Distinct().ToArray());
        var map = new Dictionary<Guid, (string, Guid)>();
        await using var r = await cmd.ExecuteReaderAsync(ct);
        while (await r.ReadAsync(ct))
        {
            map[r.GetGuid(0)] = (r.GetString(1), r.GetGuid(2));
        }
        return map;
    }

    private static NpgsqlParameter JsonParam(string name, object value) =>
        new(name, NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(value, Json) };

    private static object Nullable<T>(T? value)
        where T : struct => value.HasValue ? value.Value : DBNull.Value;

    private static T? Get<T>(NpgsqlDataReader r, int i)
        where T : struct => r.IsDBNull(i) ? null : r.GetFieldValue<T>(i);
}
