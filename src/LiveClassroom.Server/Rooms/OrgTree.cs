using System.Collections.Concurrent;
using Npgsql;

namespace LiveClassroom.Server.Rooms;

/// <summary>
/// Ancestor look-ups in the organisation tree (province → city → county → school), so that an admin or a
/// researcher of a county covers that county's schools. Ancestors are cached briefly: a school is rarely
/// moved, and listing pages ask for the same few schools many times.
/// </summary>
public sealed class OrgTree(NpgsqlDataSource dataSource, TimeProvider time)
{
    private static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(30);
    private readonly ConcurrentDictionary<Guid, (DateTimeOffset At, IReadOnlySet<Guid> Set)> _ancestors = new();

    /// <summary>The organisation itself and every ancestor up to the province.</summary>
    public async Task<IReadOnlySet<Guid>> SelfAndAncestorsAsync(Guid organisationId, CancellationToken ct = default)
    {
        var now = time.GetUtcNow();
        if (_ancestors.TryGetValue(organisationId, out var cached) && now - cached.At < CacheFor)
        {
            return cached.Set;
        }
        var set = await LoadAncestorsAsync(organisationId, ct);
        _ancestors[organisationId] = (now, set);
        return set;
    }

    private async Task<IReadOnlySet<Guid>> LoadAncestorsAsync(Guid organisationId, CancellationToken ct)
    {
        const string Sql = """
            WITH RECURSIVE up AS (
                SELECT id, parent_id FROM organisations WHERE id = @id
                UNION ALL
                SELECT o.id, o.parent_id FROM organisations o JOIN up ON o.id = up.parent_id)
            SELECT id FROM up
            """;
        await using var cmd = dataSource.CreateCommand(Sql);
        cmd.Parameters.AddWithValue("id", organisationId);
        var result = new HashSet<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(reader.GetGuid(0));
        }
        return result;
    }

    /// <summary>Organisations at or below <paramref name="organisationId"/> (for listing what an admin may see).</summary>
    public async Task<IReadOnlySet<Guid>> SelfAndDescendantsAsync(Guid organisationId, CancellationToken ct = default)
    {
        const string Sql = """
            WITH RECURSIVE down AS (
                SELECT id FROM organisations WHERE id = @id
                UNION ALL
                SELECT o.id FROM organisations o JOIN down ON o.parent_id = down.id)
            SELECT id FROM down
            """;
        await using var cmd = dataSource.CreateCommand(Sql);
        cmd.Parameters.AddWithValue("id", organisationId);
        var result = new HashSet<Guid>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            result.Add(reader.GetGuid(0));
        }
        return result;
    }
}
