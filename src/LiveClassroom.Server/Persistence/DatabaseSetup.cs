using LiveClassroom.Server.Hosting;
using Npgsql;

namespace LiveClassroom.Server.Persistence;

public static class DatabaseSetup
{
    /// <summary>Environment variable that overrides <c>Database:ConnectionString</c>.</summary>
    public const string EnvironmentVariable = "LIVECLASSROOM_DB";

    public static string ResolveConnectionString(IConfiguration config)
    {
        var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
        var value = !string.IsNullOrWhiteSpace(fromEnv) ? fromEnv : config["Database:ConnectionString"];
        if (string.IsNullOrWhiteSpace(value))
        {
            throw new StartupException(
                $"no database configured: set {EnvironmentVariable} to a PostgreSQL connection string (scripts/run.sh provisions a private one for you)");
        }
        return value;
    }

    public static NpgsqlDataSource CreateDataSource(string connectionString)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(connectionString);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or KeyNotFoundException)
        {
            // The message of a malformed string may quote it, password included: never echo it.
            throw new StartupException($"the database connection string is malformed ({ex.GetType().Name}); check {EnvironmentVariable}");
        }
        builder.ApplicationName ??= "liveclassroom";
        return new NpgsqlDataSourceBuilder(builder.ConnectionString).Build();
    }

    /// <summary>Describes the target without the password, for messages.</summary>
    public static string Describe(NpgsqlDataSource dataSource)
    {
        var b = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        return $"{b.Host}:{b.Port}/{b.Database}";
    }
}
