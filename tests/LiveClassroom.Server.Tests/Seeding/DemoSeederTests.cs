using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Persistence;
using LiveClassroom.Server.Seeding;
using LiveClassroom.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging.Abstractions;

namespace LiveClassroom.Server.Tests.Seeding;

public sealed class DemoSeederTests
{
    [Fact]
    public async Task SeedIfEmpty_EmptyDatabase_CreatesOrganisationTreeOnceWithWorkingPasswords()
    {
        await using var db = await TestDatabase.CreateAsync();
        await using var ds = db.CreateDataSource();
        await new MigrationRunner(ds, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationCatalog.Embedded, default);
        var seeder = new DemoSeeder(ds, new ConfigurationBuilder().Build(), NullLogger<DemoSeeder>.Instance);

        var first = await seeder.SeedIfEmptyAsync(default);
        var second = await seeder.SeedIfEmptyAsync(default);

        Assert.Empty(second);
        Assert.Contains(first, a => a.Role == "lead_teacher");
        Assert.Equal(3, first.Count(a => a.Role == "assistant_teacher"));
        Assert.Contains(first, a => a.Role == "researcher");
        // Every rural school has its own admin (who pairs its projector), named after the school.
        Assert.Equal(new[] { "河口乡中心小学", "石桥镇小学", "示范县第一实验小学", "青山村小学" }.Order(StringComparer.Ordinal),
            first.Where(a => a.Role == "school_admin").Select(a => a.Organisation).Order(StringComparer.Ordinal));
        Assert.Equal(first.Count, first.Select(a => a.Password).Distinct().Count());

        await using (var cmd = ds.CreateCommand(
            "SELECT kind, count(*) FROM organisations GROUP BY kind ORDER BY kind"))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            var counts = new Dictionary<string, long>();
            while (await reader.ReadAsync())
            {
                counts[reader.GetString(0)] = reader.GetInt64(1);
            }
            Assert.Equal(new Dictionary<string, long> { ["city"] = 1, ["county"] = 1, ["province"] = 1, ["school"] = 4 }, counts);
        }
        await using (var cmd = ds.CreateCommand("SELECT count(*) FROM organisations WHERE is_rural"))
        {
            Assert.Equal(3L, await cmd.ExecuteScalarAsync());
        }

        // Rural classrooms can be told apart by name alone, not only by their school.
        await using (var cmd = ds.CreateCommand("""
            SELECT count(*), count(DISTINCT c.name) FROM classrooms c JOIN organisations o ON o.id = c.school_id WHERE o.is_rural
            """))
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            Assert.Equal(3L, reader.GetInt64(0));
            Assert.Equal(3L, reader.GetInt64(1));
        }

        var teacher = first.Single(a => a.Username == "teacher");
        await using (var cmd = ds.CreateCommand("SELECT password_hash FROM people WHERE username = 'teacher'"))
        {
            var hash = (string)(await cmd.ExecuteScalarAsync())!;
            Assert.DoesNotContain(teacher.Password, hash, StringComparison.Ordinal);
            Assert.True(PasswordHasher.Verify(teacher.Password, hash));
            Assert.False(PasswordHasher.Verify(teacher.Password + "x", hash));
        }
    }
}
