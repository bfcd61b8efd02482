using Dapper;
using Npgsql;

namespace LiveClassroom.Server.Access;

/// <summary>Ancestor questions on the organisation tree (province → city → county → school).</summary>
public sealed class OrganisationScope(NpgsqlDataSource db)
{
    /// <summary>The organisation and all its ancestors.</summary>
    public async Task<Guid[]> SelfAndAncestorsAsync(Guid organisationId)
    {
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<Guid>("""
            WITH RECURSIVE up AS (
                SELECT id, parent_id FROM organisations WHERE id = @organisationId
                UNION ALL
                SELECT o.id, o.parent_id FROM organisations o JOIN up ON o.id = up.parent_id)
            SELECT id FROM up
            """, new { organisationId })];
    }

    /// <summary>The organisations at or below any of <paramref name="roots"/>.</summary>
    public async Task<Guid[]> SelfAndDescendantsAsync(IReadOnlyCollection<Guid> roots)
    {
        if (roots.Count == 0)
        {
            return [];
        }
        await using var conn = await db.OpenConnectionAsync();
        return [.. await conn.QueryAsync<Guid>("""
            WITH RECURSIVE down AS (
                SELECT id FROM organisations WHERE id = ANY(@roots)
                UNION
                SELECT o.id FROM organisations o JOIN down ON o.parent_id = down.id)
            SELECT id FROM down
            """, new { roots = roots.ToArray() })];
    }

    /// <summary>True when the caller holds one of the roles at the organisation or an ancestor of it.</summary>
    public async Task<bool> CoversAsync(Caller caller, Guid organisationId, params string[] roles)
    {
        var held = caller.OrganisationsWith(roles);
        if (held.Length == 0)
        {
            return false;
        }
        var chain = await SelfAndAncestorsAsync(organisationId);
        return chain.Any(held.Contains);
    }
}
