using LiveClassroom.Testing.SignalR;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>SendChatOnce / RaiseHandOnce over the real hub: a client's retry of one action is done once.</summary>
public sealed class ClassroomHubActionKeyTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task SendChatOnce_RetriedOnANewConnection_SameMessageAndOneEvent()
    {
        var deviceToken = factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]);
        var (classId, lead, device) = await LiveClassAsync(deviceToken);
        await using (lead)
        await using (device)
        {
            var first = await device.InvokeAsync("SendChatOnce", classId, "老师，我们听得见", false, "a1b2c3");
            // The answer was lost (say the node hung): the same device retries the same action on a fresh connection.
            await using var retryConnection = await factory.ConnectAsync(deviceToken);
            await retryConnection.InvokeAsync("JoinClass", classId);
            var retry = await retryConnection.InvokeAsync("SendChatOnce", classId, "老师，我们听得见", false, "a1b2c3");

            Assert.Equal((string?)first!["messageId"], (string?)retry!["messageId"]);
            var view = await lead.InvokeAsync("Resync", classId);
            Assert.Single(view!["class"]!["chat"]!.AsArray(), m => (string?)m!["text"] == "老师，我们听得见");
            // Events reach the lead in sequence order: once the lead's own later message is in, any duplicate would be too.
            await lead.InvokeAsync("SendChat", classId, "marker", false);
            await lead.NextEventAsync("RoomEvent", e => (string?)e.Argument()?["payload"]?["text"] == "marker");
            Assert.Single(lead.Events, e => e.Target == "RoomEvent" && (string?)e.Argument()?["payload"]?["text"] == "老师，我们听得见");
        }
    }

    [Fact]
    public async Task RaiseHandOnce_BadKeyThenRetry_BadKeyRefusedToSenderAndRetryChangesNothing()
    {
        var (classId, lead, device) = await LiveClassAsync();
        await using (lead)
        await using (device)
        {
            var badKey = await TestClasses.ErrorCodeAsync(() => device.InvokeAsync("RaiseHandOnce", classId, "no spaces allowed"));
            var nullKey = await TestClasses.ErrorCodeAsync(() => device.InvokeAsync("RaiseHandOnce", classId, null));
            await device.InvokeAsync("RaiseHandOnce", classId, "hand-1");
            await lead.InvokeAsync("DismissHand", classId, TestClasses.Rural(factory, 0));
            await device.InvokeAsync("RaiseHandOnce", classId, "hand-1");

            Assert.Equal("invalid_input", badKey);
            Assert.Equal("invalid_input", nullKey);
            var view = await lead.InvokeAsync("Resync", classId);
            Assert.Empty(view!["class"]!["handQueue"]!.AsArray());
        }
    }

    private async Task<(string ClassId, HubTestClient Lead, HubTestClient Device)> LiveClassAsync(string? deviceToken = null)
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var device = await factory.ConnectAsync(deviceToken ?? factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await device.InvokeAsync("JoinClass", classId);
        return (classId, lead, device);
    }
}
