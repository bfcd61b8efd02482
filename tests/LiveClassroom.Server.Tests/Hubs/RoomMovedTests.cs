using Npgsql;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>A node that loses a class's lease tells that class's clients where it went and lets go of them.</summary>
public sealed class RoomMovedTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    private const string ThiefUrl = "http://node-thief.example:5080";

    [Fact]
    public async Task LeaseLost_AnotherNodeTookTheClass_ClientsToldRoomMovedWithOwnerUrlAndDetached()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await using var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await device.InvokeAsync("JoinClass", classId);
        var otherClassId = await TestClasses.SetUpAsync(factory);
        await using var bystander = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await bystander.InvokeAsync("JoinClass", otherClassId);

        // Another node takes the lease over (as if this node had stalled past its expiry): the next renewal fails.
        await using (var conn = new NpgsqlConnection(factory.Database.ConnectionString))
        {
            await conn.OpenAsync();
            await using var cmd = new NpgsqlCommand("""
                UPDATE room_leases SET owner_node = 'node-thief', owner_url = @url, epoch = epoch + 1, expires_at = now() + interval '1 hour'
                WHERE kind = 'classroom' AND id = @id
                """, conn);
            cmd.Parameters.AddWithValue("url", ThiefUrl);
            cmd.Parameters.AddWithValue("id", classId);
            Assert.Equal(1, await cmd.ExecuteNonQueryAsync());
        }

        foreach (var client in new[] { lead, device })
        {
            var moved = await client.NextEventAsync("RoomMoved", timeout: TimeSpan.FromSeconds(20));
            Assert.Equal(classId, (string?)moved.Argument()!["classId"]);
            Assert.Equal(ThiefUrl, (string?)moved.Argument()!["ownerUrl"]);
        }
        // Detached: this connection is no longer in the class here, and joining again is redirected.
        Assert.Equal("not_joined", await TestClasses.ErrorCodeAsync(() => device.InvokeAsync("RaiseHand", classId)));
        var rejoin = await Assert.ThrowsAsync<LiveClassroom.Testing.SignalR.HubInvocationException>(() => device.InvokeAsync("JoinClass", classId));
        Assert.Equal("room_moved", rejoin.Code);
        Assert.Equal(ThiefUrl, (string?)rejoin.Details!["ownerUrl"]);

        // The other class on this node is untouched.
        Assert.DoesNotContain(bystander.Events, e => e.Target == "RoomMoved");
        var view = await bystander.InvokeAsync("Resync", otherClassId);
        Assert.Equal("Scheduled", (string?)view!["class"]!["state"]);
    }
}
