using System.Security.Claims;
using LiveClassroom.Server.Auth;
using Npgsql;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// The seeded demo organisation read back from a test database, and tokens for its people and classroom
/// devices minted with the server's own <see cref="TokenService"/>.
/// </summary>
public sealed class DemoOrg
{
    private readonly Dictionary<string, Person> _people;
    private readonly Dictionary<string, Guid> _orgs;
    private readonly Dictionary<Guid, Guid> _classroomOfSchool;

    private DemoOrg(Dictionary<string, Person> people, Dictionary<string, Guid> orgs, Dictionary<Guid, Guid> classroomOfSchool)
    {
        _people = people;
        _orgs = orgs;
        _classroomOfSchool = classroomOfSchool;
    }

    public sealed record Person(Guid Id, string Username, string DisplayName, Guid OrganisationId, IReadOnlyList<(string Role, Guid Org)> Roles);

    public const string LeadSchool = "示范县第一实验小学";
    public static readonly string[] RuralSchools = ["青山村小学", "河口乡中心小学", "石桥镇小学"];
    public const string County = "示范县";

    public Person this[string username] => _people[username];

    public Guid Org(string name) => _orgs[name];

    public Guid ClassroomOf(string schoolName) => _classroomOfSchool[_orgs[schoolName]];

    public static async Task<DemoOrg> LoadAsync(string connectionString)
    {
        await using var conn = new NpgsqlConnection(connectionString);
        await conn.OpenAsync();
        var orgs = new Dictionary<string, Guid>();
        await using (var cmd = new NpgsqlCommand("SELECT name, id FROM organisations", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                orgs[r.GetString(0)] = r.GetGuid(1);
            }
        }
        var classrooms = new Dictionary<Guid, Guid>();
        await using (var cmd = new NpgsqlCommand("SELECT school_id, id FROM classrooms", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                classrooms[r.GetGuid(0)] = r.GetGuid(1);
            }
        }
        var people = new Dictionary<string, Person>();
        await using (var cmd = new NpgsqlCommand(
            "SELECT p.id, p.username, p.display_name, p.organisation_id, r.role, r.organisation_id FROM people p JOIN person_roles r ON r.person_id = p.id", conn))
        await using (var r = await cmd.ExecuteReaderAsync())
        {
            while (await r.ReadAsync())
            {
                var username = r.GetString(1);
                var role = (r.GetString(4), r.GetGuid(5));
                people[username] = people.TryGetValue(username, out var p)
                    ? p with { Roles = [.. p.Roles, role] }
                    : new Person(r.GetGuid(0), username, r.GetString(2), r.GetGuid(3), [role]);
            }
        }
        return new DemoOrg(people, orgs, classrooms);
    }

    /// <summary>A person token with the claims login issues (LcClaims).</summary>
    public static string PersonToken(TokenService tokens, Person p) => PersonToken(tokens, p.Id, p.DisplayName, p.OrganisationId, p.Roles);

    public static string PersonToken(TokenService tokens, Guid id, string name, Guid org, IEnumerable<(string Role, Guid Org)> roles)
    {
        var claims = new List<Claim>
        {
            new(LcClaims.Subject, id.ToString()),
            new(LcClaims.Name, name),
            new(LcClaims.Kind, LcClaims.KindPerson),
            new(LcClaims.Organisation, org.ToString()),
        };
        claims.AddRange(roles.Select(r => new Claim(LcClaims.Role, $"{r.Role}@{r.Org}")));
        return tokens.Issue(claims, TimeSpan.FromHours(1));
    }

    /// <summary>A classroom device token (the projector PC of <paramref name="schoolName"/>'s classroom).</summary>
    public string DeviceToken(TokenService tokens, string schoolName) =>
        DeviceToken(tokens, Guid.CreateVersion7(), Org(schoolName), ClassroomOf(schoolName));

    public static string DeviceToken(TokenService tokens, Guid deviceId, Guid school, Guid classroom) =>
        tokens.Issue(
        [
            new(LcClaims.Subject, deviceId.ToString()),
            new(LcClaims.Name, "教室终端"),
            new(LcClaims.Kind, LcClaims.KindDevice),
            new(LcClaims.Organisation, school.ToString()),
            new(LcClaims.Classroom, classroom.ToString()),
            new(LcClaims.TokenId, Guid.NewGuid().ToString()),
        ], TimeSpan.FromHours(1));
}
