using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;
using LiveClassroom.Server.Seeding;
using LiveClassroom.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace LiveClassroom.Server.Tests.Auth;

/// <summary>Another node's view: a change committed by anyone reaches a node's cache on its next refresh.</summary>
public sealed class AuthStateRefresherTests
{
    [Fact]
    public async Task Refresh_AfterRevocationAndNewSchoolInTheDatabase_UpdatesTheCaches()
    {
        await using var db = await TestDatabase.CreateAsync("ref");
        await using var ds = db.CreateDataSource();
        await new MigrationRunner(ds, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationCatalog.Embedded, default);
        await new DemoSeeder(ds, new ConfigurationBuilder().Build(), NullLogger<DemoSeeder>.Instance).SeedIfEmptyAsync(default);
        var directory = new OrganisationDirectory();
        var revocations = new PrincipalRevocations();
        using var node = new AuthStateRefresher(ds, directory, revocations, Options.Create(new AccountOptions()), NullLogger<AuthStateRefresher>.Instance);
        await node.RefreshAsync(force: true, default);
        Assert.Equal(7, directory.Current.Count);

        var tokenId = Guid.NewGuid();
        await using (var cmd = ds.CreateCommand("""
            WITH c AS (SELECT id, school_id FROM classrooms LIMIT 1), p AS (SELECT id FROM people WHERE username = 'admin')
            INSERT INTO classroom_devices (id, classroom_id, school_id, name, token_id, paired_by, paired_at)
            SELECT gen_random_uuid(), c.id, c.school_id, 'x', @jti, p.id, now() FROM c, p;
            UPDATE classroom_devices SET revoked_at = now(), revoked_by = paired_by WHERE token_id = @jti;
            INSERT INTO organisations (id, parent_id, kind, name, is_rural)
            SELECT gen_random_uuid(), id, 'school', '新学校', true FROM organisations WHERE kind = 'county';
            UPDATE people SET is_active = false WHERE username = 'assistant1';
            """))
        {
            cmd.Parameters.AddWithValue("jti", tokenId);
            await cmd.ExecuteNonQueryAsync();
        }
        Assert.False(revocations.IsDeviceTokenRevoked(tokenId));

        await node.RefreshAsync(force: false, default);

        Assert.True(revocations.IsDeviceTokenRevoked(tokenId));
        Assert.Equal(8, directory.Current.Count);
        await using var who = ds.CreateCommand("SELECT id FROM people WHERE username = 'assistant1'");
        Assert.True(revocations.IsPersonInactive((Guid)(await who.ExecuteScalarAsync())!));
    }
}
