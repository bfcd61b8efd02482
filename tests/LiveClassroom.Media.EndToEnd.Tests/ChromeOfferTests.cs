using LiveClassroom.Media.EndToEnd.Tests.Harness;
using LiveClassroom.Media.Sdp;

namespace LiveClassroom.Media.EndToEnd.Tests;

/// <summary>The SDP layer against an offer the installed Chromium writes right now (the stored vector may age).</summary>
public sealed class ChromeOfferTests : IClassFixture<ChromiumBrowser>, IAsyncLifetime
{
    private readonly ChromiumBrowser _browser;
    private SignalingHost? _host;

    public ChromeOfferTests(ChromiumBrowser browser)
    {
        _browser = browser;
    }

    public async Task InitializeAsync() => _host = await SignalingHost.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    [Fact]
    public async Task LiveChromeOffer_Negotiate_FindsSimulcastRidsCodecsAndSlots()
    {
        var page = await _browser.OpenAsync(_host!.BaseUrl + "/");
        var sdp = await page.EvaluateAsync<string>("() => lc.offerOnly(true)");
        if (Environment.GetEnvironmentVariable("LC_CAPTURE_OFFER") is { Length: > 0 } path)
        {
            await File.WriteAllTextAsync(path, sdp);
        }

        var offer = SdpParser.Parse(sdp);
        var negotiated = SdpNegotiator.Negotiate(offer, VideoCodecPreference.H264, transportCc: false);

        Assert.Equal(4, negotiated.Count);
        Assert.True(negotiated[0].SfuReceives && negotiated[0].Kind == "audio");
        Assert.Equal("opus", negotiated[0].ReceiveCodec!.Name);
        Assert.True(negotiated[1].SfuReceives && negotiated[1].Kind == "video");
        Assert.Equal("H264", negotiated[1].ReceiveCodec!.Name);
        Assert.Equal(["q", "h", "f"], negotiated[1].Rids);
        Assert.NotNull(negotiated[1].RidExtensionId);
        Assert.True(negotiated[2].SfuSends && !negotiated[2].SfuReceives);
        Assert.True(negotiated[3].SfuSends && negotiated[3].Kind == "video");
        await page.CloseAsync();
    }
}
