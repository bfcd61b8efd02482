// Layer selection per subscriber (docs/BANDWIDTH.md): simulcast layers (RFC 8853) chosen from the subscriber's downlink
// estimate with hysteresis, switched at keyframes through the slot's Target (RFC 7667 §3.7); below the lowest layer the
// video slot pauses and audio goes on (audio-first).
namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    /// <summary>A layer up (or resuming) needs its measured bitrate × this, for <see cref="LayerUpHold"/> on end.</summary>
    public const double LayerUpHeadroom = 1.2;

    private static readonly long LayerUpHold = TimeSpan.FromSeconds(3).Ticks;

    /// <summary>What an audio slot costs when its source has not been measured yet (Opus speech with FEC).</summary>
    private const double AudioAllowanceBps = 48_000;

    private readonly List<IncomingStream> _layerScratch = [];

    private void SelectLayers(SfuPeer subscriber, double estimate, long now)
    {
        // Audio first: what the audio slots take is set aside before any video is chosen.
        var available = estimate;
        foreach (var slot in subscriber.Slots.Values)
        {
            if (slot.Kind == "audio" && slot.Current is { } audio)
            {
                available -= audio.BitrateBps > 0 ? audio.BitrateBps : AudioAllowanceBps;
            }
        }
        double wanted = 0;
        foreach (var slot in subscriber.Slots.Values)
        {
            if (slot.Kind != "video" || slot.Track is not { } track || track.Unpublished || slot.Rid is not null)
            {
                continue;
            }
            OrderedLayers(track, _layerScratch);
            if (_layerScratch.Count == 0)
            {
                continue;
            }
            var chosen = ChooseLayer(slot, _layerScratch, available, now, out var next);
            if (next > 0 && wanted == 0)
            {
                wanted = estimate - available + next;
            }
            Apply(slot, chosen < 0 ? null : _layerScratch[chosen]);
            if (chosen >= 0)
            {
                available -= _layerScratch[chosen].BitrateBps;
            }
        }
        subscriber.Bandwidth.WantedBps = wanted;
        ReportQuality(subscriber);
    }

    // Down at once to the highest layer the estimate carries (pause below the lowest); up one step only after the next
    // layer has fitted with headroom for LayerUpHold. <paramref name="next"/>: what the next step up would need (0: none).
    private static int ChooseLayer(SubscriberSlot slot, List<IncomingStream> layers, double available, long now, out double next)
    {
        var current = slot.Paused ? -1 : layers.IndexOf(slot.Target ?? slot.Current ?? layers[^1]);
        if (current < 0 && !slot.Paused)
        {
            current = layers.Count - 1;
        }
        var index = current;
        while (index >= 0 && layers[index].BitrateBps > available)
        {
            index--;
        }
        next = 0;
        if (index < current)
        {
            slot.UpAllowedSinceTicks = 0;
            return index;
        }
        if (index + 1 >= layers.Count || layers[index + 1].BitrateBps <= 0)
        {
            slot.UpAllowedSinceTicks = 0;
            return index;
        }
        next = layers[index + 1].BitrateBps * LayerUpHeadroom;
        if (next > available)
        {
            slot.UpAllowedSinceTicks = 0;
            return index;
        }
        if (slot.UpAllowedSinceTicks == 0)
        {
            slot.UpAllowedSinceTicks = now;
            return index;
        }
        if (now - slot.UpAllowedSinceTicks < LayerUpHold)
        {
            return index;
        }
        slot.UpAllowedSinceTicks = 0;
        return index + 1;
    }

    private void Apply(SubscriberSlot slot, IncomingStream? layer)
    {
        if (layer is null)
        {
            slot.Paused = true;
            return;
        }
        var wasPaused = slot.Paused;
        slot.Paused = false;
        slot.SelectedRid = layer.Rid;
        if (wasPaused && slot.Current == layer && !slot.Rewriter.IsSwitchPending)
        {
            // Resume the same stream: its next keyframe restarts the picture, numbering continues without a gap.
            slot.Rewriter.Resync();
            slot.Target = layer;
            slot.LastKeyframeRequestTicks = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            RequestKeyframe(layer, force: true);
            return;
        }
        if ((slot.Target ?? slot.Current) != layer)
        {
            RetargetSlot(slot);
        }
    }

    /// <summary>The track's layers, lowest first (the publisher's rid order; q;h;f in Chrome).</summary>
    private static void OrderedLayers(PublishedTrack track, List<IncomingStream> into)
    {
        into.Clear();
        foreach (var rid in track.Rids)
        {
            if (track.Layer(rid) is { } layer)
            {
                into.Add(layer);
            }
        }
        if (into.Count == 0 && track.Layer(null) is { } single)
        {
            into.Add(single);
        }
    }

    private void ReportQuality(SfuPeer subscriber)
    {
        var (paused, layer) = QualityOf(subscriber);
        var bandwidth = subscriber.Bandwidth;
        if (bandwidth.Reported && bandwidth.ReportedPaused == paused && bandwidth.ReportedLayer == layer)
        {
            return;
        }
        bandwidth.Reported = true;
        bandwidth.ReportedPaused = paused;
        bandwidth.ReportedLayer = layer;
        _events.MediaQualityChanged(Id, subscriber.Id, paused, layer, bandwidth.Estimator.EstimateBps);
    }

    /// <summary>Whether a video slot is paused, and the layer the first video slot carries or is switching to.</summary>
    private static (bool Paused, string? Layer) QualityOf(SfuPeer subscriber)
    {
        var paused = false;
        string? layer = null;
        foreach (var slot in subscriber.Slots.Values)
        {
            if (slot.Kind != "video" || slot.Track is null)
            {
                continue;
            }
            paused |= slot.Paused;
            if (layer is null && !slot.Paused && (slot.Target ?? slot.Current) is { } stream)
            {
                layer = stream.Rid ?? "single";
            }
        }
        return (paused, layer);
    }
}
