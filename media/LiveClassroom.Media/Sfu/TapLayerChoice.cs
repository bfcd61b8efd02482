// RFC 8853 (simulcast) / RFC 7667 §3.7 (switching middlebox): a recorder takes ONE layer of a simulcast track, as one
// continuous RTP stream (RFC 3550 §5.1: one SSRC, continuous sequence numbers and timestamps), so its ffmpeg never sees
// a second stream or a gap at a layer switch.
using System.Buffers.Binary;

namespace LiveClassroom.Media.Sfu;

/// <summary>
/// Which layer of a video track a recorder tap gets. Empty → Forwarding(layer) ⇄ SwitchPending(target; the current
/// layer still goes out) → Forwarding(target) at the target's first keyframe packet. The wanted layer is the best
/// (highest-ranked) one that is flowing: a packet within <see cref="StoppedAfterMillis"/>; a better layer must have
/// flowed for <see cref="SteadyForMillis"/> first (Chrome drops and restarts its top layer as its uplink varies), while
/// a current layer that stopped is left at once. The first packet ever starts the tap on its layer without waiting for
/// a keyframe (the recorder waits for one itself); a single-layer track maps every packet onto itself unchanged.
/// Not thread-safe: the room's packet path owns it.
/// </summary>
internal sealed class TapLayerChoice
{
    /// <summary>A layer without a packet for this long is not flowing.</summary>
    public const long StoppedAfterMillis = 1000;

    /// <summary>A better layer must have flowed this long before the tap moves up to it.</summary>
    public const long SteadyForMillis = 1000;

    /// <summary>While a switch waits for the target's keyframe, the publisher is asked again at most this often.</summary>
    public const long KeyframeRetryMillis = 1000;

    private const int MaxLayers = 8;

    private readonly Layer[] _layers = new Layer[MaxLayers];
    private readonly Vp8Rewriter _vp8 = new();
    private int _layerCount;
    private StreamRewriter? _rewriter;
    private long _lastRequestMillis = long.MinValue / 2;

    /// <summary>The layer being recorded (its source SSRC), or null before the first packet.</summary>
    public uint? Current => _rewriter is { HasSource: true } r ? r.CurrentSource : null;

    /// <summary>The layer a switch waits for, or null.</summary>
    public uint? Target => _rewriter is { IsSwitchPending: true } r ? r.TargetSource : null;

    /// <summary>Layer switches completed (at a keyframe of the new layer).</summary>
    public long Switches { get; private set; }

    /// <summary>
    /// One packet of layer <paramref name="ssrc"/> (rank: 0 the lowest) arrived. Returns true when it goes to the tap;
    /// then its header in <paramref name="packet"/> (a copy the caller owns) has been rewritten onto the tap's stream
    /// (and a VP8 descriptor's picture ids, for <paramref name="isVp8"/>). <paramref name="keyframeRequest"/> is the
    /// layer the publisher should be asked a keyframe of now (0: none).
    /// </summary>
    public bool Accept(uint ssrc, int rank, Span<byte> packet, int payloadOffset, bool keyframeStart, bool recovered, bool isVp8, long nowMillis,
        out uint keyframeRequest)
    {
        keyframeRequest = 0;
        Touch(ssrc, rank, nowMillis, recovered);
        var seq = BinaryPrimitives.ReadUInt16BigEndian(packet[2..]);
        var timestamp = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        var first = false;
        if (_rewriter is null)
        {
            // Identity for the first layer: a single-layer track reaches the recorder exactly as the publisher sent it.
            _rewriter = new StreamRewriter(ssrc, 90_000, seq, timestamp);
            _rewriter.SwitchTo(ssrc);
            first = true;
        }
        else
        {
            Choose(nowMillis, ref keyframeRequest);
        }
        var wasPending = _rewriter.IsSwitchPending;
        var nowTicks = nowMillis * TimeSpan.TicksPerMillisecond;
        if (!_rewriter.TryRewrite(ssrc, seq, timestamp, keyframeStart || first, nowTicks, out var outSeq, out var outTimestamp, recovered))
        {
            return false;
        }
        if (wasPending && !_rewriter.IsSwitchPending)
        {
            _vp8.Rebase();
            if (!first)
            {
                Switches++;
            }
        }
        BinaryPrimitives.WriteUInt16BigEndian(packet[2..], outSeq);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], outTimestamp);
        BinaryPrimitives.WriteUInt32BigEndian(packet[8..], _rewriter.OutSsrc);
        if (isVp8)
        {
            _vp8.Rewrite(packet[payloadOffset..]);
        }
        return true;
    }

    private void Touch(uint ssrc, int rank, long nowMillis, bool recovered)
    {
        for (var i = 0; i < _layerCount; i++)
        {
            ref var layer = ref _layers[i];
            if (layer.Ssrc == ssrc)
            {
                if (!recovered)
                {
                    if (nowMillis - layer.LastMillis >= StoppedAfterMillis)
                    {
                        layer.FlowingSinceMillis = nowMillis;
                    }
                    layer.LastMillis = nowMillis;
                }
                layer.Rank = rank;
                return;
            }
        }
        // A new SSRC: a layer first seen, or one that replaced a silent stream. Beyond the table's size, reuse the stalest.
        var slot = _layerCount < MaxLayers ? _layerCount++ : Stalest();
        _layers[slot] = new Layer { Ssrc = ssrc, Rank = rank, LastMillis = nowMillis, FlowingSinceMillis = nowMillis };
    }

    private int Stalest()
    {
        var index = 0;
        for (var i = 1; i < _layerCount; i++)
        {
            if (_layers[i].LastMillis < _layers[index].LastMillis)
            {
                index = i;
            }
        }
        return index;
    }

    private void Choose(long nowMillis, ref uint keyframeRequest)
    {
        var rewriter = _rewriter!;
        var current = rewriter.HasSource ? rewriter.CurrentSource : (uint?)null;
        var currentFlowing = false;
        var currentRank = -1;
        var best = -1;
        for (var i = 0; i < _layerCount; i++)
        {
            ref var layer = ref _layers[i];
            var flowing = nowMillis - layer.LastMillis < StoppedAfterMillis;
            if (current == layer.Ssrc)
            {
                currentFlowing = flowing;
                currentRank = layer.Rank;
            }
            if (flowing && (best < 0 || layer.Rank > _layers[best].Rank))
            {
                best = i;
            }
        }
        if (best < 0)
        {
            return;
        }
        ref var wanted = ref _layers[best];
        var upgrade = wanted.Rank > currentRank && nowMillis - wanted.FlowingSinceMillis >= SteadyForMillis;
        if (current == wanted.Ssrc || (currentFlowing && !upgrade))
        {
            // Staying on the layer being recorded: a switch asked for earlier is called off.
            rewriter.CancelSwitch();
            return;
        }
        if (!rewriter.IsSwitchPending || rewriter.TargetSource != wanted.Ssrc)
        {
            rewriter.SwitchTo(wanted.Ssrc);
            _lastRequestMillis = nowMillis;
            keyframeRequest = wanted.Ssrc;
            return;
        }
        if (nowMillis - _lastRequestMillis >= KeyframeRetryMillis)
        {
            _lastRequestMillis = nowMillis;
            keyframeRequest = wanted.Ssrc;
        }
    }

    private struct Layer
    {
        public uint Ssrc;
        public int Rank;
        public long LastMillis;
        public long FlowingSinceMillis;
    }
}
