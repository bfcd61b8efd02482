using System.Collections.Concurrent;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>
/// Resuming a paused video on a token-bucket link (docs/BANDWIDTH.md, "Resuming a paused video"): only once a validating
/// probe drained the bucket's burst and showed the lowest layer gets through. A real MediaServer on loopback, the
/// synthetic simulcast publisher (audio ~35 kbit/s, `q` ~155 kbit/s on the wire) and a subscriber answering transport-cc
/// behind an emulated 150 kbit/s link with a 16 KB token bucket and a 200 ms queue (the rural test link's `tbf`): audio
/// fits, audio and `q` do not.
/// </summary>
public sealed class ResumeTests : IDisposable
{
    private readonly LayerRoom _r = new("resume", downlink =>
    {
        downlink.CapacityBps = 150_000;
        downlink.BurstBytes = 16 * 1024;
        downlink.MaxQueueUs = 200_000;
    });

    private ConcurrentQueue<(DateTime At, MediaQualityEventArgs Event)> Events => _r.Events;

    private MediaPeerStats Subscriber => _r.Subscriber;

    [Fact]
    public void Resume_TokenBucketLinkBelowTheLowestLayer_AProbeThroughTheBurstDoesNotResume_TheWideLinkDoes()
    {
        // The link cannot carry `q` with the audio: the slot comes down and pauses (audio-first).
        Assert.True(Wait(() => Subscriber is { EstimateSource: "transport-cc", VideoPaused: true }
            && Events.Any(e => e.Event.VideoPaused), 60), Describe());
        var paused = DateTime.UtcNow;
        var probesBefore = Subscriber.Bandwidth!.Probes;

        // The class sends the same route again (a classroom's hub joined again): the video stays paused.
        _r.Room.Route("sub", "1", new MediaTrackSource("pub", "1"));
        Assert.True(Subscriber.VideoPaused, $"an unchanged route resumed the paused video; {Describe()}");

        // A probe for the lowest layer that ends inside the 16 KB burst reads the line rate (it resumed the video every
        // few seconds here: 22–43 % of everything lost for seconds each time, the audio included). A validating one
        // drains the burst, sees the queue build and is refused; the video stays paused, the audio goes on.
        var audio = _r.Downlink.Audio;
        var resumed = Wait(() => Events.Any(e => e.At > paused && !e.Event.VideoPaused), 30);

        Assert.False(resumed, Describe());
        Assert.True(Subscriber.Bandwidth is { ProbesRefused: > 0 } b && b.Probes > probesBefore, Describe());
        Assert.True(_r.Downlink.Audio > audio + 300, $"audio stopped while paused; {Describe()}");

        // The link widens: the next validating probe gets through and the video resumes by itself.
        _r.Downlink.CapacityBps = 2_000_000;
        var widened = DateTime.UtcNow;
        Assert.True(Wait(() => Events.Any(e => e.At > widened && !e.Event.VideoPaused && e.Event.Layer is not null), 30), Describe());
        var video = _r.Downlink.VideoTotal;
        Assert.True(Wait(() => _r.Downlink.VideoTotal > video + 100, 20), Describe());
        // Probe results are taken as soon as the feedback has reported the probe's last packet (a round trip and a
        // feedback interval on this link), not a fixed second after the probe: that second was part of how long the
        // video stayed away after the link came back.
        Assert.Matches(@"settledOnFeedback=[1-9]", _r.Server.Diagnostics());
    }

    private string Describe() => _r.Describe();

    private static bool Wait(Func<bool> condition, double seconds) => LayerRoom.Wait(condition, seconds);

    public void Dispose() => _r.Dispose();
}
