using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Grains;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Runtime;

namespace LiveClassroom.Server.Tests.Grains;

/// <summary>
/// The node liveness port over Orleans' own membership table on PostgreSQL: a room that activates again after its node
/// died learns from it when that node was last alive (issue #20, item 4).
/// </summary>
public sealed class MembershipNodeLivenessTests(ServerFactory factory) : IClassFixture<ServerFactory>
{
    private static readonly DateTimeOffset LastAlive = new(2026, 3, 2, 8, 9, 51, 250, TimeSpan.Zero);

    [Fact]
    public async Task LastAliveIfDead_NodeDeclaredDead_ItsLastIAmAliveTime()
    {
        var liveness = Started();
        var dead = SiloAddress.New(System.Net.IPAddress.Parse("10.0.0.99"), 11111, 99);
        await InsertMemberAsync(dead, status: SiloStatus.Dead, LastAlive);

        Assert.Equal(LastAlive, await liveness.LastAliveIfDeadAsync(dead.ToParsableString()));
    }

    [Fact]
    public async Task LastAliveIfDead_NodeSuspectedButNotYetDead_Null()
    {
        var liveness = Started();
        var hung = SiloAddress.New(System.Net.IPAddress.Parse("10.0.0.98"), 11111, 98);
        await InsertMemberAsync(hung, status: SiloStatus.ShuttingDown, LastAlive);

        Assert.Null(await liveness.LastAliveIfDeadAsync(hung.ToParsableString()));
    }

    [Fact]
    public async Task LastAliveIfDead_ThisLiveNodeUnknownNodeOrGarbage_Null()
    {
        var liveness = Started();
        var self = factory.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress;

        Assert.Null(await liveness.LastAliveIfDeadAsync(self.ToParsableString()));
        Assert.Null(await liveness.LastAliveIfDeadAsync(SiloAddress.New(System.Net.IPAddress.Parse("10.0.0.97"), 11111, 97).ToParsableString()));
        Assert.Null(await liveness.LastAliveIfDeadAsync("not a silo"));
    }

    private INodeLiveness Started()
    {
        using var client = factory.CreateClient(); // starts the server and its silo, which joins the membership table
        var liveness = factory.Services.GetRequiredService<INodeLiveness>();
        Assert.IsType<MembershipNodeLiveness>(liveness);
        return liveness;
    }

    private async Task InsertMemberAsync(SiloAddress silo, SiloStatus status, DateTimeOffset iAmAlive)
    {
        var cluster = factory.Services.GetRequiredService<ClusterSettings>().ClusterId;
        await using var conn = new NpgsqlConnection(factory.Database.ConnectionString);
        await conn.OpenAsync();
        await using var cmd = new NpgsqlCommand(
            """
            INSERT INTO OrleansMembershipTable (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
            VALUES (@cluster, @address, @port, @generation, 'gone', 'gone', @status, 0, @alive - interval '1 hour', @alive)
            """, conn);
        cmd.Parameters.AddWithValue("cluster", cluster);
        cmd.Parameters.AddWithValue("address", silo.Endpoint.Address.ToString());
        cmd.Parameters.AddWithValue("port", silo.Endpoint.Port);
        cmd.Parameters.AddWithValue("generation", silo.Generation);
        cmd.Parameters.AddWithValue("status", (int)status);
        cmd.Parameters.AddWithValue("alive", iAmAlive);
        await cmd.ExecuteNonQueryAsync();
    }
}
