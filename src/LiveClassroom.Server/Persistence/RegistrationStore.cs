using LiveClassroom.Server.Apis.Contracts;
using LiveClassroom.Server.Auth;
using Npgsql;

namespace LiveClassroom.Server.Persistence;

/// <summary>
/// Registrations in PostgreSQL (migration 0009). Each write runs in one transaction with its audit entry: an
/// application never exists without its pending account, nor an approval without the account it activates.
/// </summary>
public sealed class RegistrationStore(NpgsqlDataSource dataSource)
{
    private const string ViewSql = """
        SELECT r.id, r.kind, r.status, r.parent_id, o.name, r.organisation_name, r.is_rural, r.role,
               p.id, p.username, p.display_name, p.phone, p.staff_number, p.subject, p.stage,
               r.reason, r.created_at, r.decided_at, d.display_name, r.created_organisation_id
        FROM registrations r
        JOIN organisations o ON o.id = r.parent_id
        JOIN people p ON p.id = r.applicant_id
        LEFT JOIN people d ON d.id = r.decided_by
        """;

    public NpgsqlDataSource DataSource => dataSource;

    public async Task<int> CountFromAddressSinceAsync(string clientIp, DateTimeOffset since, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT count(*)::int FROM registrations WHERE client_ip = @ip AND created_at > @since");
        cmd.Parameters.AddWithValue("ip", clientIp);
        cmd.Parameters.AddWithValue("since", since);
        return (int)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task<bool> OrganisationNameTakenAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid parentId, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            SELECT EXISTS (SELECT 1 FROM organisations WHERE parent_id = @p AND name = @n)
                OR EXISTS (SELECT 1 FROM registrations WHERE parent_id = @p AND organisation_name = @n AND status = 'pending')
            """, conn, tx);
        cmd.Parameters.AddWithValue("p", parentId);
        cmd.Parameters.AddWithValue("n", name);
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public static async Task InsertAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string kind, Guid applicantId, Guid parentId, string? organisationName,
        bool isRural, string? role, string clientIp, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            INSERT INTO registrations (id, kind, applicant_id, parent_id, organisation_name, is_rural, role, status, client_ip, created_at)
            VALUES (@id, @kind, @applicant, @parent, @name, @rural, @role, 'pending', @ip, @now)
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("applicant", applicantId);
        cmd.Parameters.AddWithValue("parent", parentId);
        cmd.Parameters.Add(new NpgsqlParameter("name", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)organisationName ?? DBNull.Value });
        cmd.Parameters.AddWithValue("rural", isRural);
        cmd.Parameters.Add(new NpgsqlParameter("role", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)role ?? DBNull.Value });
        cmd.Parameters.AddWithValue("ip", clientIp);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public async Task<RegistrationView?> GetAsync(Guid id, CancellationToken ct)
    {
        var list = await QueryAsync($"{ViewSql} WHERE r.id = @id", cmd => cmd.Parameters.AddWithValue("id", id), ct);
        return list.Count == 0 ? null : list[0];
    }

    public Task<List<RegistrationView>> ListForApplicantAsync(Guid applicantId, CancellationToken ct) =>
        QueryAsync($"{ViewSql} WHERE r.applicant_id = @a ORDER BY r.created_at DESC", cmd => cmd.Parameters.AddWithValue("a", applicantId), ct);

    public Task<List<RegistrationView>> ListQueueAsync(IReadOnlyList<Guid> parentIds, string status, CancellationToken ct) =>
        QueryAsync($"{ViewSql} WHERE r.parent_id = ANY(@parents) AND r.status = @s ORDER BY r.created_at, r.id LIMIT 500", cmd =>
        {
            cmd.Parameters.AddWithValue("parents", parentIds.ToArray());
            cmd.Parameters.AddWithValue("s", status);
        }, ct);

    /// <summary>The registration's kind, parent, applicant and status, locked for a decision; null when unknown.</summary>
    public static async Task<(string Kind, Guid ParentId, Guid ApplicantId, string Status, string? OrganisationName, bool IsRural, string? Role)?> LockAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT kind, parent_id, applicant_id, status, organisation_name, is_rural, role FROM registrations WHERE id = @id FOR UPDATE", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return null;
        }
        return (reader.GetString(0), reader.GetGuid(1), reader.GetGuid(2), reader.GetString(3),
            reader.IsDBNull(4) ? null : reader.GetString(4), reader.GetBoolean(5), reader.IsDBNull(6) ? null : reader.GetString(6));
    }

    public static async Task DecideAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid id, string status, string? reason, Guid deciderId, DateTimeOffset now,
        Guid? createdOrganisationId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("""
            UPDATE registrations SET status = @s, reason = @reason, decided_by = @by, decided_at = @now, created_organisation_id = @org
            WHERE id = @id
            """, conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("s", status);
        cmd.Parameters.Add(new NpgsqlParameter("reason", NpgsqlTypes.NpgsqlDbType.Text) { Value = (object?)reason ?? DBNull.Value });
        cmd.Parameters.AddWithValue("by", deciderId);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.Add(new NpgsqlParameter("org", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)createdOrganisationId ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Sets the applicant's account status, and their home organisation when an organisation was created for them.</summary>
    public static async Task SetApplicantAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, Guid personId, string accountStatus, Guid? homeOrganisationId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "UPDATE people SET account_status = @s, organisation_id = coalesce(@org, organisation_id) WHERE id = @id", conn, tx);
        cmd.Parameters.AddWithValue("id", personId);
        cmd.Parameters.AddWithValue("s", accountStatus);
        cmd.Parameters.Add(new NpgsqlParameter("org", NpgsqlTypes.NpgsqlDbType.Uuid) { Value = (object?)homeOrganisationId ?? DBNull.Value });
        await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task InsertOrganisationAsync(
        NpgsqlConnection conn, NpgsqlTransaction tx, OrganisationNode node, DateTimeOffset now, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO organisations (id, parent_id, kind, name, is_rural, created_at) VALUES (@id, @p, @k, @n, @r, @now)", conn, tx);
        cmd.Parameters.AddWithValue("id", node.Id);
        cmd.Parameters.AddWithValue("p", node.ParentId!.Value);
        cmd.Parameters.AddWithValue("k", node.Kind);
        cmd.Parameters.AddWithValue("n", node.Name);
        cmd.Parameters.AddWithValue("r", node.IsRural);
        cmd.Parameters.AddWithValue("now", now);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private async Task<List<RegistrationView>> QueryAsync(string sql, Action<NpgsqlCommand> bind, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        bind(cmd);
        var list = new List<RegistrationView>();
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            string? S(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
            list.Add(new RegistrationView(
                reader.GetGuid(0), reader.GetString(1), reader.GetString(2), reader.GetGuid(3), reader.GetString(4), S(5), reader.GetBoolean(6), S(7),
                reader.GetGuid(8), reader.GetString(9), reader.GetString(10), S(11), S(12), S(13), S(14),
                S(15), reader.GetFieldValue<DateTimeOffset>(16), reader.IsDBNull(17) ? null : reader.GetFieldValue<DateTimeOffset>(17), S(18),
                reader.IsDBNull(19) ? null : reader.GetGuid(19)));
        }
        return list;
    }
}
