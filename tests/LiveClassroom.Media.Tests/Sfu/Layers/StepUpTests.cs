using System.Collections.Concurrent;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>
/// Stepping up a layer on a link that loses packets at random: only as far as a validating probe got through
/// (docs/BANDWIDTH.md, "A step up on a lossy link"). A real MediaServer on loopback, a synthetic simulcast publisher
/// (q ~155, h ~480 kbit/s, f ~1.2 Mbit/s on the wire) and a subscriber answering transport-cc behind an emulated link.
/// </summary>
public sealed class StepUpTests : IDisposable
{
    private readonly LayerRoom _r = new("step-up", downlink =>
    {
        // Lossy from the start, and narrow: the slot leaves the top layer it was routed to and settles on `q`.
        downlink.CapacityBps = 300_000;
        downlink.LossPercent = 5;
    });

    private ConcurrentQueue<(DateTime At, MediaQualityEventArgs Event)> Events => _r.Events;

    private MediaPeerStats Subscriber => _r.Subscriber;

    [Fact]
    public void StepUp_FivePercentRandomLossOnAWideLink_ValidatingProbesGetThrough_ReachesTheUpperLayers()
    {
        Assert.True(Wait(() => Subscriber is { EstimateSource: "transport-cc", ReceivedLayer: "q", VideoPaused: false }, 40), Describe());

        // The link widens to 2 Mbit/s and keeps losing 5 % at random: the loss-based control (§6) holds whatever the
        // layer, so each step up waits for a probe at 1.5 × its need that shows the rate gets through — and it does.
        // On a lossy link a refused step-up probe spaces the next 20 s, then 40 s (ProbeSchedule.LossyFirstBackoff: each
        // one delays the audio behind its overshoot), so a step the narrower link refused once or twice (a loaded
        // machine's delay trend refuses more) comes up to a minute after the link widened: the waits allow for that.
        _r.Downlink.CapacityBps = 2_000_000;
        Assert.True(Wait(() => Subscriber.ReceivedLayer == "h", 75), Describe());
        var middle = _r.Downlink.Video(1);
        Assert.True(Wait(() => _r.Downlink.Video(1) > middle + 100, 20), Describe());

        // `f` of this publisher (~1.23 Mbit/s, 1.48 with the step's headroom and the audio) validates at 2.2 Mbit/s:
        // on a 3 Mbit/s link with the same loss it is reached too. (A camera's `f`, ~950 kbit/s, validates at 1.8.)
        _r.Downlink.CapacityBps = 3_000_000;
        Assert.True(Wait(() => Subscriber.ReceivedLayer == "f", 75), Describe());
        var top = _r.Downlink.Video(2);
        Assert.True(Wait(() => _r.Downlink.Video(2) > top + 100, 20), Describe());
    }

    [Fact]
    public void StepUp_TokenBucketLinkWithRandomLoss_AProbeThroughTheBurstDoesNotLiftTheSlotToALayerTheCapCannotCarry()
    {
        // 300 kbit/s behind a 16 KB token bucket with a 200 ms queue (the rural test link's `tbf`), 5 % random loss:
        // audio (~35 kbit/s) and `q` (~155) fit, `h` (~480) does not. A 300 ms probe gets through the bucket's burst at
        // line rate and reads far more than the cap; a validating probe drains the burst and sees the queue build.
        _r.Downlink.BurstBytes = 16 * 1024;
        _r.Downlink.MaxQueueUs = 200_000;
        // Events are raised on the server's dispatcher a moment after the state changed: wait for the move to `q` to
        // have been raised too, so the first layer's event is not taken for a step up.
        var probeStarts = new List<DateTime>();
        Assert.True(Wait(() => SampleProbes(probeStarts) && Subscriber is { EstimateSource: "transport-cc", ReceivedLayer: "q", VideoPaused: false }
            && Events.Any(e => e.Event.Layer == "q"), 40), Describe());

        var settled = DateTime.UtcNow;
        var steppedUp = Wait(() => SampleProbes(probeStarts) && Events.Any(e => e.At > settled && e.Event.Layer is "h" or "f"), 30);

        Assert.False(steppedUp, Describe());
        // Each refused probe overshoots the cap (it must drain the burst to be believed) and the audio queues behind it:
        // on a link that keeps losing packets the retries are at least 20 s apart (ProbeSchedule.LossyFirstBackoff),
        // not 4, 8, 16 s.
        var gaps = probeStarts.Zip(probeStarts.Skip(1), (a, b) => (b - a).TotalSeconds).ToList();
        Console.WriteLine($"step-up probes started at +{string.Join(", +", probeStarts.Select(p => (p - probeStarts[0]).TotalSeconds.ToString("F1")))} s");
        Assert.NotEmpty(gaps);
        Assert.All(gaps, gap => Assert.True(gap >= 19.5, $"probes {string.Join(", ", gaps.Select(g => g.ToString("F1")))} s apart; {Describe()}"));
        Assert.Contains("refused=", _r.Server.Diagnostics(), StringComparison.Ordinal);
        Assert.DoesNotContain("refused=0(", _r.Server.Diagnostics(), StringComparison.Ordinal);
        // The same counts reach the host (MediaPeerStats.Bandwidth, what Media__TraceBandwidth logs), with the reason.
        Assert.True(Subscriber.Bandwidth is { Probes: > 0, ProbesRefused: > 0 }, Describe());
    }

    /// <summary>Notes when the subscriber's probe count grew (always true: a sampling step inside a wait's condition).</summary>
    private bool SampleProbes(List<DateTime> starts)
    {
        var probes = Subscriber.Bandwidth?.Probes ?? 0;
        while (starts.Count < probes)
        {
            starts.Add(DateTime.UtcNow);
        }
        return true;
    }

    private string Describe() => _r.Describe();

    private static bool Wait(Func<bool> condition, double seconds) => LayerRoom.Wait(condition, seconds);

    public void Dispose() => _r.Dispose();
}
