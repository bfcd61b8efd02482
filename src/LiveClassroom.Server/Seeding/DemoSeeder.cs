using System.Text;
using LiveClassroom.Server.Auth;
using Npgsql;

namespace LiveClassroom.Server.Seeding;

/// <summary>
/// On the first start against an empty database, creates a demo organisation so a newcomer can log in:
/// a province, city and county, one urban lead school, three rural schools and their people.
/// The generated passwords are printed once to standard output and never stored in clear.
/// </summary>
public sealed partial class DemoSeeder(NpgsqlDataSource dataSource, IConfiguration config, ILogger<DemoSeeder> logger)
{
    public sealed record DemoAccount(string Username, string DisplayName, string Role, string Organisation, string Password);

    public async Task<IReadOnlyList<DemoAccount>> SeedIfEmptyAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Two nodes starting together: only one seeds.
        await using (var lockCmd = new NpgsqlCommand("LOCK TABLE organisations IN EXCLUSIVE MODE", conn, tx))
        {
            await lockCmd.ExecuteNonQueryAsync(ct);
        }
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM organisations", conn, tx))
        {
            if ((long)(await count.ExecuteScalarAsync(ct))! > 0)
            {
                return [];
            }
        }

        var fixedPassword = config["Seed:DemoPassword"];
        var accounts = new List<DemoAccount>();
        var province = await OrgAsync(conn, tx, null, "province", "示范省", false, ct);
        var city = await OrgAsync(conn, tx, province, "city", "示范市", false, ct);
        var county = await OrgAsync(conn, tx, city, "county", "示范县", false, ct);
        var lead = await OrgAsync(conn, tx, county, "school", "示范县第一实验小学", false, ct);
        await ClassroomAsync(conn, tx, lead, "三年级一班录播教室", ct);
        // Each rural school's classroom has its own name: the console, lists and recordings must tell them apart.
        (string School, string Classroom)[] rural =
            [("青山村小学", "三年级复式班教室"), ("河口乡中心小学", "三年级二班教室"), ("石桥镇小学", "三年级一班多媒体教室")];
        var ruralIds = new List<Guid>();
        foreach (var (name, classroom) in rural)
        {
            var school = await OrgAsync(conn, tx, county, "school", name, true, ct);
            ruralIds.Add(school);
            await ClassroomAsync(conn, tx, school, classroom, ct);
        }

        // One password for every account by configuration: hash it once (PBKDF2 is deliberately slow, and tests and
        // demos start servers often); generated passwords each get their own hash.
        var fixedHash = string.IsNullOrEmpty(fixedPassword) ? null : PasswordHasher.Hash(fixedPassword);

        async Task PersonAsync(string username, string displayName, string role, Guid org, string orgName)
        {
            var password = string.IsNullOrEmpty(fixedPassword) ? PasswordHasher.GeneratePassword() : fixedPassword;
            var id = Guid.CreateVersion7();
            await using (var cmd = new NpgsqlCommand(
                "INSERT INTO people (id, organisation_id, username, display_name, password_hash) VALUES (@id, @org, @u, @d, @h)", conn, tx))
            {
                cmd.Parameters.AddWithValue("id", id);
                cmd.Parameters.AddWithValue("org", org);
                cmd.Parameters.AddWithValue("u", username);
                cmd.Parameters.AddWithValue("d", displayName);
                cmd.Parameters.AddWithValue("h", fixedHash ?? PasswordHasher.Hash(password));
                await cmd.ExecuteNonQueryAsync(ct);
            }
            await using (var cmd = new NpgsqlCommand(
                "INSERT INTO person_roles (person_id, role, organisation_id) VALUES (@id, @r, @org)", conn, tx))
            {
                cmd.Parameters.AddWithValue("id", id);
                cmd.Parameters.AddWithValue("r", role);
                cmd.Parameters.AddWithValue("org", org);
                await cmd.ExecuteNonQueryAsync(ct);
            }
            accounts.Add(new DemoAccount(username, displayName, role, orgName, password));
        }

        await PersonAsync("teacher", "王芳", "lead_teacher", lead, "示范县第一实验小学");
        string[] assistants = ["李强", "赵敏", "陈刚"];
        // A school admin per rural school: the one who pairs that school's projector on the spot.
        string[] ruralAdmins = ["吴校长", "郑校长", "冯校长"];
        for (var i = 0; i < rural.Length; i++)
        {
            await PersonAsync($"assistant{i + 1}", assistants[i], "assistant_teacher", ruralIds[i], rural[i].School);
        }
        for (var i = 0; i < rural.Length; i++)
        {
            await PersonAsync($"schooladmin{i + 1}", ruralAdmins[i], "school_admin", ruralIds[i], rural[i].School);
        }
        await PersonAsync("researcher", "刘教研", "researcher", county, "示范县");
        await PersonAsync("schooladmin", "周校长", "school_admin", lead, "示范县第一实验小学");
        await PersonAsync("admin", "孙主任", "county_admin", county, "示范县");
        await tx.CommitAsync(ct);

        LogSeeded(logger, accounts.Count);
        Console.Out.Write(Banner(accounts, fixedPassword is { Length: > 0 }));
        return accounts;
    }


    private static string Banner(IReadOnlyList<DemoAccount> accounts, bool fixedPassword)
    {
        var sb = new StringBuilder();
        sb.AppendLine();
        sb.AppendLine("==== 演示账号 / Demo accounts (shown once; store them now) ====");
        foreach (var a in accounts)
        {
            sb.Append("  ").Append(a.Username.PadRight(12)).Append(' ')
              .Append(fixedPassword ? "(Seed:DemoPassword)" : a.Password).Append("  ")
              .Append(a.Role).Append(" · ").Append(a.DisplayName).Append(" · ").AppendLine(a.Organisation);
        }
        sb.AppendLine("==============================================================");
        return sb.ToString();
    }

    private static async Task<Guid> OrgAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid? parent, string kind, string name, bool rural, CancellationToken ct)
    {
        var id = Guid.CreateVersion7();
        await using var cmd = new NpgsqlCommand(
            "INSERT INTO organisations (id, parent_id, kind, name, is_rural) VALUES (@id, @p, @k, @n, @r)", conn, tx);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("p", parent.HasValue ? parent.Value : DBNull.Value);
        cmd.Parameters.AddWithValue("k", kind);
        cmd.Parameters.AddWithValue("n", name);
        cmd.Parameters.AddWithValue("r", rural);
        await cmd.ExecuteNonQueryAsync(ct);
        return id;
    }

    private static async Task ClassroomAsync(NpgsqlConnection conn, NpgsqlTransaction tx, Guid school, string name, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand("INSERT INTO classrooms (id, school_id, name) VALUES (@id, @s, @n)", conn, tx);
        cmd.Parameters.AddWithValue("id", Guid.CreateVersion7());
        cmd.Parameters.AddWithValue("s", school);
        cmd.Parameters.AddWithValue("n", name);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Seeded the demo organisation with {Count} accounts")]
    private static partial void LogSeeded(ILogger logger, int count);
}
