using System.Security.Cryptography;
using Npgsql;

namespace LiveClassroom.Server.Auth;

/// <summary>
/// Without <c>Auth:SigningKey</c>, a per-process random key would log everyone out on every restart and — worse for a
/// classroom — unpair every projector; with two nodes, a token from one would be refused by the other. So the first
/// node stores a random key in PostgreSQL and every node signs with it. Anyone who can read that table can forge
/// tokens, but they could already rewrite people and roles; production may still set the key in configuration.
/// Runs at start-up after the migrations, before Kestrel listens.
/// </summary>
public sealed partial class SharedSigningKey(NpgsqlDataSource dataSource, TokenService tokens, ILogger<SharedSigningKey> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (tokens.HasConfiguredKey)
        {
            return;
        }
        await using (var insert = dataSource.CreateCommand("INSERT INTO auth_signing_key (id, key) VALUES (1, @key) ON CONFLICT (id) DO NOTHING"))
        {
            insert.Parameters.AddWithValue("key", RandomNumberGenerator.GetBytes(32));
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }
        await using var select = dataSource.CreateCommand("SELECT key FROM auth_signing_key WHERE id = 1");
        var key = (byte[])(await select.ExecuteScalarAsync(cancellationToken))!;
        tokens.UseSharedKey(key);
        LogUsingStoredKey(logger);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Auth:SigningKey is not set: signing tokens with the key stored in the database")]
    private static partial void LogUsingStoredKey(ILogger logger);
}
