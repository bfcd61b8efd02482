using LiveClassroom.Server.Tests.Hubs;

namespace LiveClassroom.Server.Tests.Research;

/// <summary>The research hub's Negotiate: refusals name their reason; a second tab of the same person takes the media and the first is told.</summary>
public sealed class ResearchHubMediaTests(ResearchServer server) : IClassFixture<ResearchServer>
{
    private static readonly object Publishing = new
    {
        publish = new { camera = "0", microphone = "1" },
        receiveSlots = new[] { new { name = "host", mid = "2" } },
    };

    [Theory]
    [InlineData("FingerprintChanged", "media_fingerprint_changed")]
    [InlineData("Malformed", "bad_sdp")]
    public async Task Negotiate_MediaPlaneRefuses_ErrorCodeNamesTheReason(string reason, string code)
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);

        var refused = await ResearchHubScenario.ErrorCodeAsync(() =>
            s.Teacher.InvokeAsync("Negotiate", s.Id, TestClasses.ValidOffer + $"a=x-refuse:{reason}\r\n", Publishing));

        Assert.Equal(code, refused);
        Assert.Equal("live", (string?)(await s.Host.InvokeAsync("Resync", s.Id))!["status"]);
    }

    [Fact]
    public async Task Negotiate_SecondTabOfTheSamePerson_FirstTabIsToldItsMediaWasTakenOver()
    {
        await using var s = await ResearchHubScenario.CreateAsync(server);
        await s.Teacher.InvokeAsync("Negotiate", s.Id, TestClasses.ValidOffer, Publishing);
        var (secondTab, _) = await server.HubAsync("teacher");
        await using (secondTab)
        {
            await secondTab.InvokeAsync("JoinSession", s.Id);

            await secondTab.InvokeAsync("Negotiate", s.Id, TestClasses.ValidOffer, Publishing);

            var told = await s.Teacher.NextEventAsync("MediaTakenOver");
            Assert.Equal(s.Id, (string?)told.Argument()?["classId"]);
            Assert.DoesNotContain(s.Host.Events, e => e.Target == "MediaTakenOver");
        }
    }
}
