using System.Net.Http.Headers;
using System.Security.Claims;
using Dapper;
using LiveClassroom.Server.Auth;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace LiveClassroom.Server.Tests.Recording;

/// <summary>The seeded demo people as tokens and ids (teacher, assistant1..3, researcher, schooladmin, admin).</summary>
public static class TestPeople
{
    public sealed record Person(Guid Id, Guid OrganisationId, string Role);

    public static async Task<Person> GetAsync(IServiceProvider services, string username)
    {
        var db = services.GetRequiredService<NpgsqlDataSource>();
        await using var conn = await db.OpenConnectionAsync();
        return await conn.QuerySingleAsync<Person>("""
            SELECT p.id AS Id, r.organisation_id AS OrganisationId, r.role AS Role
            FROM people p JOIN person_roles r ON r.person_id = p.id WHERE p.username = @username
            """, new { username });
    }

    public static async Task<string> TokenAsync(IServiceProvider services, string username)
    {
        var db = services.GetRequiredService<NpgsqlDataSource>();
        await using var conn = await db.OpenConnectionAsync();
        var person = await conn.QuerySingleAsync<(Guid Id, Guid Org)>(
            "SELECT id, organisation_id FROM people WHERE username = @username", new { username });
        var roles = await conn.QueryAsync<(string Role, Guid Org)>(
            "SELECT role, organisation_id FROM person_roles WHERE person_id = @id", new { id = person.Id });
        var claims = new List<Claim>
        {
            new(LcClaims.Subject, person.Id.ToString()),
            new(LcClaims.Name, username),
            new(LcClaims.Kind, LcClaims.KindPerson),
            new(LcClaims.Organisation, person.Org.ToString()),
        };
        claims.AddRange(roles.Select(r => new Claim(LcClaims.Role, $"{r.Role}@{r.Org}")));
        return services.GetRequiredService<TokenService>().Issue(claims, TimeSpan.FromHours(1));
    }

    public static async Task<HttpClient> ClientAsync(RecordingServerFactory factory, string username)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await TokenAsync(factory.Services, username));
        return client;
    }
}
