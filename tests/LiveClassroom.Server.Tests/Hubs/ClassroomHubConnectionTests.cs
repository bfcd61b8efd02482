namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>Dropped connections, rejoins and leaving on purpose, as the other participants see them.</summary>
public sealed class ClassroomHubConnectionTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task Disconnect_DeviceDropsAndRejoins_ReconnectingThenBackWithItsHandKept()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var c0 = TestClasses.Rural(factory, 0);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var deviceToken = factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]);
        var device = await factory.ConnectAsync(deviceToken);
        var first = await device.InvokeAsync("JoinClass", classId);
        var principal = (string)first!["you"]!["participantId"]!;
        await device.InvokeAsync("RaiseHand", classId);

        await device.DisposeAsync();

        var dropped = (await lead.NextRoomEventAsync("ConnectionChanged"))["payload"]!;
        Assert.Equal(principal, (string?)dropped["principalId"]);
        Assert.Equal("Reconnecting", (string?)dropped["connection"]);

        await using var again = await factory.ConnectAsync(deviceToken);
        var view = await again.InvokeAsync("JoinClass", classId);
        Assert.Equal(principal, (string?)view!["you"]!["participantId"]);
        Assert.Equal([c0], view["class"]!["handQueue"]!.AsArray().Select(n => (string)n!));
        // The device's first join, then its rejoin.
        await JoinedAsync(lead, principal);
        var back = await JoinedAsync(lead, principal);
        Assert.Equal("Connected", (string?)back["connection"]);
        Assert.True((long)back["tile"]! >= 1);
    }

    private static async Task<System.Text.Json.Nodes.JsonNode> JoinedAsync(LiveClassroom.Testing.SignalR.HubTestClient client, string principal) =>
        (await client.NextEventAsync("RoomEvent", e =>
            (string?)e.Argument()?["type"] == "ParticipantJoined" && (string?)e.Argument()?["payload"]?["principalId"] == principal)).Argument()!["payload"]!;

    [Fact]
    public async Task LeaveClass_LastOfItsClassroom_LeftAndItsHandLowered()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await using var assistant = await factory.ConnectAsync(factory.TokenFor("assistant2"));
        await assistant.InvokeAsync("JoinClass", classId);
        await assistant.InvokeAsync("RaiseHand", classId);
        await lead.NextRoomEventAsync("HandQueueChanged");

        await assistant.InvokeAsync("LeaveClass", classId);

        var left = (await lead.NextRoomEventAsync("ConnectionChanged"))["payload"]!;
        Assert.Equal("Left", (string?)left["connection"]);
        Assert.Empty((await lead.NextRoomEventAsync("HandQueueChanged"))["payload"]!["queue"]!.AsArray());
        Assert.Equal("not_joined", await TestClasses.ErrorCodeAsync(() => assistant.InvokeAsync("RaiseHand", classId)));
    }
}
