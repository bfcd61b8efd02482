namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>WatchNetwork over the real SFU: a classroom's figures come from the SFU's own peer, pushed again and again.</summary>
public sealed class NetworkDashboardSfuTests(SfuHubServerFactory factory) : IClassFixture<SfuHubServerFactory>
{
    [Fact]
    public async Task WatchNetwork_ProjectorPeerInTheSfu_FramesCarryTheSfusStateOfItsPeer()
    {
        var classId = await TestClasses.SetUpAsync(factory, ruralCount: 2);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        await using var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await device.InvokeAsync("JoinClass", classId);
        await device.InvokeAsync("Negotiate", classId,
            ClassroomHubMediaLimitTests.Offer(("video", "0", "sendonly"), ("audio", "1", "sendonly"), ("video", "2", "recvonly")),
            TestClasses.MediaDescription(publish: true));
        await using var admin = await factory.ConnectAsync(factory.TokenFor("admin"));

        var first = (await admin.InvokeAsync("WatchNetwork", classId))!;
        var next = (await admin.NextEventAsync("NetworkFigures", e => (long)e.Argument()!["seq"]! > (long)first["seq"]!)).Argument()!;

        var rural = next["classrooms"]!.AsArray().Single(c => (string?)c!["classroomId"] == TestClasses.Rural(factory, 0))!;
        Assert.Equal("sfu", (string?)rural["source"]);
        // Negotiated, but no ICE/DTLS from this synthetic peer: the SFU holds it as connecting, which rates as unknown.
        Assert.Equal("connecting", (string?)rural["mediaState"]);
        Assert.Equal("unknown", (string?)rural["quality"]);
        var absent = next["classrooms"]!.AsArray().Single(c => (string?)c!["classroomId"] == TestClasses.Rural(factory, 1))!;
        Assert.Equal("Absent", (string?)absent["connection"]);
        Assert.Equal("none", (string?)absent["source"]);
        Assert.True((bool)next["classrooms"]!.AsArray().Single(c => (bool)c!["isLead"]!)!["isLead"]!);
    }
}
