using LiveClassroom.Testing.SignalR;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>Negotiate's refusals name their real reason; a second connection of the same account taking the media tells the first.</summary>
public sealed class ClassroomHubMediaTests(HubServerFactory factory) : IClassFixture<HubServerFactory>
{
    [Theory]
    [InlineData("FingerprintChanged", "media_fingerprint_changed")]
    [InlineData("Unsupported", "sdp_unsupported")]
    [InlineData("Unavailable", "media_unavailable")]
    [InlineData("Malformed", "invalid_sdp")]
    public async Task Negotiate_MediaPlaneRefuses_ErrorCodeNamesTheReasonAndTheClassRunsOn(string reason, string code)
    {
        var (classId, lead) = await LiveClassAsync();
        await using (lead)
        {
            var refused = await TestClasses.ErrorCodeAsync(() =>
                lead.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer + $"a=x-refuse:{reason}\r\n", TestClasses.MediaDescription(publish: true)));

            Assert.Equal(code, refused);
            var answer = (await lead.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true)))!;
            Assert.StartsWith("v=0", (string?)answer["sdpAnswer"], StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Negotiate_SecondTabOfTheSameAccount_FirstTabIsToldItsMediaWasTakenOver()
    {
        var (classId, firstTab) = await LiveClassAsync();
        await using (firstTab)
        await using (var secondTab = await factory.ConnectAsync(factory.TokenFor("teacher")))
        {
            await firstTab.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));
            await secondTab.InvokeAsync("JoinClass", classId);

            await secondTab.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));

            var told = await firstTab.NextEventAsync("MediaTakenOver");
            Assert.Equal(classId, (string?)told.Argument()?["classId"]);

            // Taking it back (the user's choice) tells the second tab in turn, and never the tab that negotiated.
            await firstTab.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));
            await secondTab.NextEventAsync("MediaTakenOver");
            Assert.Single(firstTab.Events, e => e.Target == "MediaTakenOver");
        }
    }

    [Fact]
    public async Task Negotiate_SameConnectionAgain_NobodyIsToldOfATakeover()
    {
        var (classId, lead) = await LiveClassAsync();
        await using (lead)
        await using (var device = await factory.ConnectAsync(factory.Org.DeviceToken(factory.Tokens, DemoOrg.RuralSchools[0])))
        {
            await device.InvokeAsync("JoinClass", classId);
            await lead.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));
            await device.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));

            // A reload's rebuilt peer connection on the same connection, and another person negotiating: no takeover.
            await lead.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true));
            // A barrier: events reach each connection in order, so a takeover notice sent before would be here by now.
            await device.InvokeAsync("RaiseHand", classId);
            await lead.NextRoomEventAsync("HandQueueChanged");
            await device.NextRoomEventAsync("HandQueueChanged");

            Assert.DoesNotContain(lead.Events, e => e.Target == "MediaTakenOver");
            Assert.DoesNotContain(device.Events, e => e.Target == "MediaTakenOver");
        }
    }

    [Fact]
    public async Task Negotiate_AfterClassEvents_AnswerCarriesTheClassSequenceAtOrAboveThemAndBelowItsMediaChanged()
    {
        var (classId, lead) = await LiveClassAsync();
        await using (lead)
        {
            // The class's events so far (set up, opened, the lead's join): the snapshot's sequence covers them.
            var before = (long)(await lead.InvokeAsync("Resync", classId))!["class"]!["sequence"]!;
            Assert.True(before > 0);

            var answer = (await lead.InvokeAsync("Negotiate", classId, TestClasses.ValidOffer, TestClasses.MediaDescription(publish: true)))!;
            var changed = await lead.NextRoomEventAsync("MediaChanged");

            // The page ignores a MediaNodeLost numbered at or below it (docs/HUB.md, "The answer's eventSequence").
            var sequence = (long)answer["eventSequence"]!;
            Assert.InRange(sequence, before, (long)changed["seq"]! - 1);
        }
    }

    private async Task<(string ClassId, HubTestClient Lead)> LiveClassAsync()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        return (classId, lead);
    }
}
