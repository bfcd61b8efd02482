using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using Npgsql;

namespace LiveClassroom.Server.Persistence;

/// <summary>People, their passwords and their roles in PostgreSQL.</summary>
public sealed class PeopleStore(NpgsqlDataSource dataSource)
{
    private const string ViewColumns = """
        p.id, p.username, p.display_name, p.organisation_id, o.name, p.is_active, p.created_at
        FROM people p JOIN organisations o ON o.id = p.organisation_id
        """;

    public NpgsqlDataSource DataSource => dataSource;

    public async Task<PersonCredentials?> FindCredentialsAsync(string username, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, password_hash, is_active, account_status, must_change_password FROM people WHERE username = @u");
        cmd.Parameters.AddWithValue("u", username);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new PersonCredentials(reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2), reader.GetString(3), reader.GetBoolean(4)) : null;
    }

    public async Task<PersonCredentials?> FindCredentialsAsync(Guid id, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT id, password_hash, is_active, account_status, must_change_password FROM people WHERE id = @id");
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        return await reader.ReadAsync(ct) ? new PersonCredentials(reader.GetGuid(0), reader.GetString(1), reader.GetBoolean(2), reader.GetString(3), reader.GetBoolean(4)) : null;
    }

    public async Task<PersonView?> GetAsync(Guid id, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var list = await ReadViewsAsync(conn, null, $"SELECT {ViewColumns} WHERE p.id = @id", [("id", id)], ct);
        return list.Count == 0 ? null : list[0];
    }

    public async Task<(IReadOnlyList<PersonView> Items, long Total)> ListAsync(
        IReadOnlyList<Guid> organisationIds, string? query, int page, int pageSize, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var pattern = string.IsNullOrWhiteSpace(query) ? null : "%" + EscapeLike(query.Trim()) + "%";
        const string Filter = "p.organisation_id = ANY(@orgs) AND (@q::text IS NULL OR p.username ILIKE @q OR p.display_name ILIKE @q)";
        long total;
        await using (var count = new NpgsqlCommand($"SELECT count(*) FROM people p WHERE {Filter}", conn))
        {
            count.Parameters.AddWithValue("orgs", organisationIds.ToArray());
            count.Parameters.Add(new NpgsqlParameter("q", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)pattern ?? DBNull.Value });
            total = (long)(await count.ExecuteScalarAsync(ct))!;
        }
        var items = await ReadViewsAsync(conn, null,
            $"SELECT {ViewColumns} WHERE {Filter} ORDER BY p.username LIMIT @limit OFFSET @offset",
            [("orgs", organisationIds.ToArray()), ("q", (object?)pattern ?? DBNull.Value), ("limit", pageSize), ("offset", (page - 1) * pageSize)], ct);
        return (items, total);
    }

    public static async Task<bool> UsernameTakenAsync(NpgsqlConnection conn, NpgsqlTransaction tx, string username, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT EXISTS (SELECT 1 FROM people WHERE username = @u)", conn, tx);
        cmd.Parameters.AddWithValue("u", username);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task InsertAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, Guid organisationId, string username, string displayName,
        string passwordHash, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO people (id, organisation_id, username, display_name, password_hash, created_at)
            VALUES (@id, @org, @u, @d, @h, @now)
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("org", organisationId);
        cmd.Parameters.AddWithValue("u", username);
        cmd.Parameters.AddWithValue("d", displayName);
        cmd.Parameters.AddWithValue("h", passwordHash);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Inserts a person with the registration or import fields of migration 0009.</summary>
    public static async Task InsertProfileAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, Guid organisationId, string username, string displayName,
        string passwordHash, DateTimeOffset now, PersonProfile profile, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO people (id, organisation_id, username, display_name, password_hash, created_at,
                                account_status, must_change_password, phone, staff_number, subject, stage)
            VALUES (@id, @org, @u, @d, @h, @now, @status, @must, @phone, @staff, @subject, @stage)
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("org", organisationId);
        cmd.Parameters.AddWithValue("u", username);
        cmd.Parameters.AddWithValue("d", displayName);
        cmd.Parameters.AddWithValue("h", passwordHash);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("status", profile.AccountStatus);
        cmd.Parameters.AddWithValue("must", profile.MustChangePassword);
        cmd.Parameters.Add(Text("phone", profile.Phone));
        cmd.Parameters.Add(Text("staff", profile.StaffNumber));
        cmd.Parameters.Add(Text("subject", profile.Subject));
        cmd.Parameters.Add(Text("stage", profile.Stage));
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Clears the one-time-password flag once the person chose their own password.</summary>
    public static async Task ClearMustChangePasswordAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("UPDATE people SET must_change_password = false WHERE id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private static NpgsqlParameter Text(string name, string? value) =>
        new(name, NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)value ?? DBNull.Value };

    public static async Task UpdateAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string? displayName, bool? isActive, string? passwordHash, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE people SET display_name = coalesce(@d, display_name), is_active = coalesce(@a, is_active),
                              password_hash = coalesce(@h, password_hash)
            WHERE id = @id
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.Add(new NpgsqlParameter("d", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)displayName ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("a", NpgsqlTypes.NpgsqlDbType.Boolean) { Value = (object?)isActive ?? DBNull.Value });
        cmd.Parameters.Add(new NpgsqlParameter("h", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)passwordHash ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Refuses the person's tokens issued before <paramref name="now"/> (see <c>LcClaims.IssuedAt</c>).</summary>
    public static async Task EndSessionsAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("UPDATE people SET sessions_valid_after = @now WHERE id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<Guid?> LockHomeOrganisationAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("SELECT organisation_id FROM people WHERE id = @id FOR UPDATE", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        return await cmd.ExecuteScalarAsync(ct) is Guid org ? org : null;
    }

    public static async Task<IReadOnlyList<RoleGrant>> RolesAsync(NpgsqlConnection conn, NpgsqlTransaction? tx, Guid id, CancellationToken ct)
    {
        var list = new List<RoleGrant>();
        await using var cmd = new NpgsqlCommand("SELECT role, organisation_id FROM person_roles WHERE person_id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            list.Add(new RoleGrant(reader.GetString(0), reader.GetGuid(1)));
        }
        return list;
    }

    public static async Task ReplaceRolesAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, IEnumerable<RoleGrant> roles, CancellationToken ct)
    {
        await using (var del = new NpgsqlCommand("DELETE FROM person_roles WHERE person_id = @id", conn, tx))
        {
            del.Parameters.AddWithValue("id", id);
            await del.ExecuteNonQueryAsync(ct);
        }
        foreach (var role in roles.Distinct())
        {
            await using var ins = new NpgsqlCommand("INSERT INTO person_roles (person_id, role, organisation_id) VALUES (@id, @r, @o)", conn, tx);
            ins.Parameters.AddWithValue("id", id);
            ins.Parameters.AddWithValue("r", role.Role);
            ins.Parameters.AddWithValue("o", role.OrganisationId);
            await ins.ExecuteNonQueryAsync(ct);
        }
    }

    private static async Task<List<PersonView>> ReadViewsAsync(
        NpgsqlConnection conn, NpgsqlTransaction? tx, string sql, (string Name, object Value)[] args, CancellationToken ct)
    {
        var rows = new List<PersonView>();
        await using (var cmd = new NpgsqlCommand(sql, conn, tx))
        {
            foreach (var (name, value) in args)
            {
                cmd.Parameters.Add(value is DBNull
                    ? new NpgsqlParameter(name, NpgsqlTypes.NpgsqlDbType.Text) { Value = value }
                    : new NpgsqlParameter(name, value));
            }
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new PersonView(reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4),
                    reader.GetBoolean(5), reader.GetFieldValue<DateTimeOffset>(6), []));
            }
        }
        if (rows.Count == 0)
        {
            return rows;
        }
        var roles = new Dictionary<Guid, List<RoleView>>();
        await using (var cmd = new NpgsqlCommand("""
            SELECT r.person_id, r.role, r.organisation_id, o.name
            FROM person_roles r JOIN organisations o ON o.id = r.organisation_id
            WHERE r.person_id = ANY(@ids) ORDER BY r.role, o.name
            """, conn, tx))
        {
            cmd.Parameters.AddWithValue("ids", rows.Select(r => r.Id).ToArray());
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var person = reader.GetGuid(0);
                if (!roles.TryGetValue(person, out var list))
                {
                    roles[person] = list = [];
                }
                list.Add(new RoleView(reader.GetString(1), reader.GetGuid(2), reader.GetString(3)));
            }
        }
        return [.. rows.Select(r => r with { Roles = roles.TryGetValue(r.Id, out var list) ? list : [] })];
    }

    private static string EscapeLike(string s) =>
        s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
}
