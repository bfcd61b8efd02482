using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using Npgsql;

namespace LiveClassroom.Server.Persistence;

/// <summary>Organisations and classrooms in PostgreSQL. Writes are audited in the same transaction.</summary>
public sealed class OrganisationStore(NpgsqlDataSource dataSource)
{
    public async Task<OrganisationNode?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, parent_id, kind, name, is_rural FROM organisations WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct)
            ? new OrganisationNode(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4))
            : null;
    }

    public async Task<ClassroomRecord?> GetClassroomAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, school_id, name FROM classrooms WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new ClassroomRecord(reader.GetGuid(0), reader.GetGuid(1), reader.GetString(2)) : null;
    }

    public async Task<IReadOnlyList<ClassroomView>> ListClassroomsAsync(IReadOnlyList<Guid> schoolIds, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("""
            SELECT c.id, c.name, c.school_id,
                   (SELECT count(*) FROM classroom_devices d WHERE d.classroom_id = c.id AND d.revoked_at IS NULL)::int
            FROM classrooms c WHERE c.school_id = ANY(@schools) ORDER BY c.name, c.created_at
            """);
        cmd.Parameters.AddWithValue("schools", schoolIds.ToArray());
        var list = new List<ClassroomView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new ClassroomView(reader.GetGuid(0), reader.GetString(1), reader.GetGuid(2), reader.GetInt32(3)));
        }
        return list;
    }

    public async Task<OrganisationNode> CreateAsync(
        Guid parentId, string kind, string name, bool isRural, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        var node = new OrganisationNode(Guid.CreateVersion7(), parentId, kind, name, isRural);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand(
            "INSERT INTO organisations (id, parent_id, kind, name, is_rural, created_at) VALUES (@id, @p, @k, @n, @r, @now)", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", node.Id);
            cmd.Parameters.AddWithValue("p", parentId);
            cmd.Parameters.AddWithValue("k", kind);
            cmd.Parameters.AddWithValue("n", name);
            cmd.Parameters.AddWithValue("r", isRural);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actorId, "organisation.create", "organisation", node.Id, node.Id,
            new { parentId, kind, name, isRural }, ct);
        await tx.CommitAsync(ct);
        return node;
    }

    public async Task<OrganisationNode?> UpdateAsync(Guid id, string? name, bool? isRural, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        OrganisationNode? node;
        await using (var cmd = new NpgsqlCommand("""
            UPDATE organisations SET name = coalesce(@n, name), is_rural = coalesce(@r, is_rural) WHERE id = @id
            RETURNING id, parent_id, kind, name, is_rural
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.Add(new NpgsqlParameter("n", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)name ?? DBNull.Value });
            cmd.Parameters.Add(new NpgsqlParameter("r", NpgsqlTypes.NpgsqlDbType.Boolean) { Value = (object?)isRural ?? DBNull.Value });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            node = await reader.ReadAsync(ct)
                ? new OrganisationNode(reader.GetGuid(0), reader.IsDBNull(1) ? null : reader.GetGuid(1), reader.GetString(2), reader.GetString(3), reader.GetBoolean(4))
                : null;
        }
        if (node is null)
        {
            return null;
        }
        await AuditLog.WriteAsync(conn, tx, now, actorId, "organisation.update", "organisation", id, id, new { name, isRural }, ct);
        await tx.CommitAsync(ct);
        return node;
    }

    public async Task<ClassroomView> CreateClassroomAsync(Guid schoolId, string name, Guid actorId, DateTimeOffset now, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using (var cmd = new NpgsqlCommand("INSERT INTO classrooms (id, school_id, name, created_at) VALUES (@id, @s, @n, @now)", conn, tx))
        {
            cmd.Parameters.AddWithValue("id", id);
            cmd.Parameters.AddWithValue("s", schoolId);
            cmd.Parameters.AddWithValue("n", name);
            cmd.Parameters.AddWithValue("now", now);
            await cmd.ExecuteNonQueryAsync(ct);
        }
        await AuditLog.WriteAsync(conn, tx, now, actorId, "classroom.create", "classroom", id, schoolId, new { name }, ct);
        await tx.CommitAsync(ct);
        return new ClassroomView(id, name, schoolId, 0);
    }
}
