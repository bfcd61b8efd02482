using LiveClassroom.Media;
using LiveClassroom.Server.Hubs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// The SFU's MediaQualityChanged (a subscriber's video paused for its bandwidth, audio-first) reaches the one hub
/// connection holding that participant's media peer as <c>MediaQuality</c> (docs/HUB.md), and nobody else.
/// The SFU side of the event is tested in LiveClassroom.Media.Tests (Sfu/Layers/AudioFirstTests).
/// </summary>
public sealed class MediaQualityNotifierTests(SfuHubServerFactory factory) : IClassFixture<SfuHubServerFactory>
{
    [Fact]
    public async Task MediaQualityChanged_ForTheLeadsPeer_GoesToTheConnectionThatNegotiated_NotToOthers()
    {
        var classId = await TestClasses.SetUpAsync(factory);
        await using var lead = await factory.ConnectAsync(factory.TokenFor("teacher"));
        await lead.InvokeAsync("JoinClass", classId);
        await lead.InvokeAsync("OpenClass", classId);
        var result = await lead.InvokeAsync("Negotiate", classId, ClassroomHubMediaLimitTests.Offer(("video", "0", "recvonly")),
            new { publish = (object?)null, receiveSlots = new[] { new { name = "main", mid = "0" } } });
        var leadPeer = (string)result!["peerId"]!;
        await using var researcher = await factory.ConnectAsync(factory.TokenFor("researcher"));
        await researcher.InvokeAsync("JoinClass", classId);
        var notifier = factory.Services.GetServices<IHostedService>().OfType<MediaQualityNotifier>().Single();

        // A peer nobody in this class holds, then the lead's: only the second is delivered, to the lead alone.
        notifier.OnQualityChanged(null, new MediaQualityEventArgs(classId, "not-a-participant", true, null, 1_000));
        notifier.OnQualityChanged(null, new MediaQualityEventArgs(classId, leadPeer, true, null, 95_000));
        notifier.OnQualityChanged(null, new MediaQualityEventArgs(classId, leadPeer, false, "q", 310_000));

        var paused = await lead.NextEventAsync("MediaQuality");
        Assert.Equal(classId, (string?)paused.Argument()!["classId"]);
        Assert.True((bool)paused.Argument()!["paused"]!);
        Assert.Null(paused.Argument()!["layer"]);
        Assert.Equal(95, (long)paused.Argument()!["estimateKbps"]!);
        var resumed = await lead.NextEventAsync("MediaQuality");
        Assert.False((bool)resumed.Argument()!["paused"]!);
        Assert.Equal("q", (string?)resumed.Argument()!["layer"]);
        Assert.DoesNotContain(researcher.Events, e => e.Target == "MediaQuality");
    }
}
