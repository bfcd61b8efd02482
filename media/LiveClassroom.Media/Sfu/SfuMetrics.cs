using System.Diagnostics.Metrics;

namespace LiveClassroom.Media.Sfu;

/// <summary>
/// The SFU's counters on the <c>LiveClassroom.Media</c> meter (System.Diagnostics.Metrics: the host decides whether and
/// where they are exported). The packet path pays one interlocked add per count (per forwarded packet on a striped
/// counter, as every worker and lane forwards at once); the exporter reads the totals when it
/// collects, so every series exists from the start. Gauges of rooms, peers and tracks and the transport's counters:
/// <see cref="MediaMetrics"/>.
/// </summary>
internal static class SfuMetrics
{
    public const string MeterName = "LiveClassroom.Media";

    public static readonly Meter Meter = new(MeterName);

    private static readonly string[] DropReasonNames = ["peer", "stream_limit"];
    private static readonly long[] Drops = new long[DropReasonNames.Length];
    private static readonly Diagnostics.StripedCounter PacketsForwarded = new();
    private static readonly Diagnostics.StripedCounter BytesForwarded = new();
    private static long _nacks;
    private static long _keyframeRequests;

    static SfuMetrics()
    {
        Meter.CreateObservableCounter("liveclassroom.sfu.packets.forwarded", () => PacketsForwarded.Value, "{packet}",
            "RTP packets forwarded to subscribers");
        Meter.CreateObservableCounter("liveclassroom.sfu.forwarded", () => BytesForwarded.Value, "By",
            "RTP payload bytes forwarded to subscribers");
        Meter.CreateObservableCounter("liveclassroom.sfu.nacks", () => Interlocked.Read(ref _nacks), "{packet}",
            "Sequence numbers the SFU asked of publishers (RFC 4585 §6.2.1 generic NACK), for itself or for subscribers");
        Meter.CreateObservableCounter("liveclassroom.sfu.keyframe_requests", () => Interlocked.Read(ref _keyframeRequests), "{request}",
            "Keyframe requests sent to publishers (PLI, RFC 4585 §6.3.1; FIR, RFC 5104 §4.3.1, where only that was offered)");
        Meter.CreateObservableCounter("liveclassroom.sfu.packets.dropped", DroppedByReason, "{packet}",
            "Packets the SFU dropped after demultiplexing, by reason: peer (undecryptable, malformed or unroutable), stream_limit");
    }

    public static void Forwarded(int payloadBytes)
    {
        PacketsForwarded.Increment();
        BytesForwarded.Add(payloadBytes);
    }

    public static void Nacked(int sequenceNumbers) => Interlocked.Add(ref _nacks, sequenceNumbers);

    public static void KeyframeRequested() => Interlocked.Increment(ref _keyframeRequests);

    public static void DroppedByPeer() => Interlocked.Increment(ref Drops[0]);

    public static void DroppedOverStreamLimit() => Interlocked.Increment(ref Drops[1]);

    private static IEnumerable<Measurement<long>> DroppedByReason()
    {
        for (var i = 0; i < Drops.Length; i++)
        {
            yield return new Measurement<long>(Interlocked.Read(ref Drops[i]), new KeyValuePair<string, object?>("reason", DropReasonNames[i]));
        }
    }
}
