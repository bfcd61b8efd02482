using LiveClassroom.Testing.SignalR;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>Bad input reaches only its sender: the class and everyone else carry on.</summary>
public sealed class ClassroomHubBadInputTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Fact]
    public async Task JoinClass_UnknownClassId_ClassNotFound()
    {
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));

        var code = await TestClasses.ErrorCodeAsync(() => lead.InvokeAsync("JoinClass", "no-such-class." + Guid.NewGuid().ToString("N")));

        Assert.Equal("class_not_found", code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("../../etc/passwd")]
    [InlineData("class id with spaces")]
    public async Task JoinClass_MalformedClassId_ClassNotFound(string classId)
    {
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));

        Assert.Equal("class_not_found", await TestClasses.ErrorCodeAsync(() => lead.InvokeAsync("JoinClass", classId)));
    }

    [Fact]
    public async Task RaiseHand_BeforeJoining_NotJoined()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        await using var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));

        Assert.Equal("not_joined", await TestClasses.ErrorCodeAsync(() => device.InvokeAsync("RaiseHand", classId)));
    }

    [Fact]
    public async Task OversizedMessage_OverLimit_ClosesThatConnectionOnlyAndClassRunsOn()
    {
        var (classId, lead, device) = await LiveClassAsync();
        await using (lead)
        await using (device)
        {
            await using var offender = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[1]));
            await offender.InvokeAsync("JoinClass", classId);

            var huge = new string('字', 70 * 1024);
            await offender.SendRawAsync($"{{\"type\":1,\"invocationId\":\"x\",\"target\":\"SendChat\",\"arguments\":[\"{classId}\",\"{huge}\",false]}}\u001e");

            var closeError = await offender.WaitClosedAsync();
            Assert.NotNull(closeError);
            await AssertClassRunsOnAsync(classId, lead, device);
        }
    }

    [Fact]
    public async Task MalformedJson_OnTheWire_ClosesThatConnectionOnlyAndClassRunsOn()
    {
        var (classId, lead, device) = await LiveClassAsync();
        await using (lead)
        await using (device)
        {
            await using var offender = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[1]));
            await offender.InvokeAsync("JoinClass", classId);

            await offender.SendRawAsync("{\"type\":1,\"target\":\"RaiseHand\",\"arguments\":[\u001e");

            var closeError = await offender.WaitClosedAsync();
            Assert.NotNull(closeError);
            await AssertClassRunsOnAsync(classId, lead, device);
        }
    }

    [Fact]
    public async Task JoinClass_ArgumentOfWrongType_ErrorToCallerConnectionStaysOpen()
    {
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        var classId = await TestClasses.SetUpAsync(factory);

        var error = await Record.ExceptionAsync(() => lead.InvokeAsync("JoinClass", new { not = "a string" }));

        Assert.IsType<HubInvocationException>(error);
        var view = await lead.InvokeAsync("JoinClass", classId);
        Assert.Equal("Lead", (string?)view!["you"]!["role"]);
    }

    [Theory]
    [InlineData("this is not sdp")]
    [InlineData("v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\nthis line has no equals sign\r\n")]
    [InlineData("v=0\r\ns=-\r\n")]
    [InlineData("v=0\r\nm=video\r\n")]
    public async Task Negotiate_MalformedSdp_InvalidSdpAndCallerCarriesOn(string offer)
    {
        var (classId, lead, device) = await LiveClassAsync();
        await using (lead)
        await using (device)
        {
            var code = await TestClasses.ErrorCodeAsync(() =>
                device.InvokeAsync("Negotiate", classId, offer, TestClasses.MediaDescription(publish: true)));

            Assert.Equal("invalid_sdp", code);
            var answer = await device.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));
            Assert.StartsWith("v=0", (string?)answer!["sdpAnswer"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Negotiate_OfferTheMediaPlaneRefuses_InvalidSdp()
    {
        var (classId, lead, device) = await LiveClassAsync();
        await using (lead)
        await using (device)
        {
            var code = await TestClasses.ErrorCodeAsync(() =>
                device.InvokeAsync("Negotiate", classId, TestClasses.OfferWithoutIce, TestClasses.MediaDescription(publish: true)));

            Assert.Equal("invalid_sdp", code);
        }
    }

    [Fact]
    public async Task Negotiate_SecondOfferIceRestart_SamePeerIdAndStatsReachTheTiles()
    {
        var (classId, lead, device) = await LiveClassAsync();
        await using (lead)
        await using (device)
        {
            var first = await device.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));
            var restart = await device.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer.Replace("ufrag:abcd", "ufrag:efgh", StringComparison.Ordinal),
                TestClasses.MediaDescription(publish: true));

            Assert.Equal((string?)first!["peerId"], (string?)restart!["peerId"]);
            await device.InvokeAsync("ReportConnectionStats", classId,
                new { roundTripTimeMs = 320.0, packetLoss = 0.08, inboundBitrateBps = 400_000, outboundBitrateBps = 250_000, quality = "poor" });
            var stats = (await lead.NextRoomEventAsync("StatsChanged"))["payload"]!["stats"]!.AsArray();
            Assert.Equal("poor", (string?)Assert.Single(stats)!["quality"]);
            Assert.Equal(0.08, (double)stats[0]!["packetLoss"]!);
            var outOfRange = await TestClasses.ErrorCodeAsync(() => device.InvokeAsync("ReportConnectionStats", classId,
                new { roundTripTimeMs = 1.0, packetLoss = 7.0, inboundBitrateBps = 0, outboundBitrateBps = 0, quality = "x" }));
            Assert.Equal("invalid_input", outOfRange);
        }
    }

    [Fact]
    public async Task SendChat_TextTooLong_InvalidInputAndNothingPosted()
    {
        var (classId, lead, device) = await LiveClassAsync();
        await using (lead)
        await using (device)
        {
            var code = await TestClasses.ErrorCodeAsync(() => device.InvokeAsync("SendChat", classId, new string('长', 5000), false));

            Assert.Equal("invalid_input", code);
            var view = await lead.InvokeAsync("Resync", classId);
            Assert.Empty(view!["class"]!["chat"]!.AsArray());
        }
    }

    private async Task<(string ClassId, HubTestClient Lead, HubTestClient Device)> LiveClassAsync()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0]));
        await device.InvokeAsync("JoinClass", classId);
        return (classId, lead, device);
    }

    /// <summary>The other participants still act and hear about it; the class is still live.</summary>
    private static async Task AssertClassRunsOnAsync(string classId, HubTestClient lead, HubTestClient device)
    {
        await device.InvokeAsync("RaiseHand", classId);
        var queue = (await lead.NextRoomEventAsync("HandQueueChanged"))["payload"]!["queue"]!.AsArray();
        Assert.Single(queue);
        var view = await lead.InvokeAsync("Resync", classId);
        Assert.Equal("Live", (string?)view!["class"]!["state"]);
    }
}
