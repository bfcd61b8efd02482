using System.Net.Sockets;
using LiveClassroom.Server.Hosting;
using LiveClassroom.Server.Seeding;
using Npgsql;

namespace LiveClassroom.Server.Persistence;

/// <summary>Runs before Kestrel listens: applies migrations, then seeds an empty database.</summary>
public sealed class DatabaseStartup(
    NpgsqlDataSource dataSource, MigrationRunner runner, DemoSeeder seeder, IConfiguration config) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            await runner.ApplyAsync(MigrationCatalog.Embedded, cancellationToken);
            if (config.GetValue("Seed:Demo", true))
            {
                await seeder.SeedIfEmptyAsync(cancellationToken);
            }
        }
        catch (NpgsqlException ex) when (ex is not PostgresException || IsConnectionFault((PostgresException)ex))
        {
            throw new StartupException($"cannot reach the database at {DatabaseSetup.Describe(dataSource)}: {Reason(ex)}", ex);
        }
        catch (SocketException ex)
        {
            throw new StartupException($"cannot reach the database at {DatabaseSetup.Describe(dataSource)}: {ex.Message}", ex);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private static bool IsConnectionFault(PostgresException ex) =>
        ex.SqlState.StartsWith("08", StringComparison.Ordinal) // connection exception
        || ex.SqlState.StartsWith("28", StringComparison.Ordinal) // invalid authorisation
        || ex.SqlState == "3D000"; // database does not exist

    private static string Reason(NpgsqlException ex) => ex switch
    {
        PostgresException pg => $"{pg.SqlState} {pg.MessageText}",
        _ when ex.InnerException is SocketException s => s.Message,
        _ when ex.InnerException is TimeoutException => "timed out",
        _ => ex.Message,
    };
}
