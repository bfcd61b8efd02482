// draft-holmer-rmcat-transport-wide-cc-extensions-01 §2–3: the sender numbers every packet of the transport and
// remembers when it sent it, so the receiver's feedback (arrival times by transport-wide sequence number) can be
// matched back; draft-ietf-rmcat-gcc-02 runs on the pairs (Bwe.DownlinkEstimator).
using System.Diagnostics;
using LiveClassroom.Media.Bwe;

namespace LiveClassroom.Media.Sfu;

/// <summary>
/// One subscriber's downlink: transport-wide numbering and send history of what the SFU sends it, its estimator, the
/// probe in progress and what it was last told (layer, paused). Estimate source: none → remb | transport-cc.
/// Not thread-safe (the room lock guards it); no allocation after the first stamped packet.
/// </summary>
internal sealed class SubscriberBandwidth
{
    // Memory per subscriber (issue #17: ≤ 100 KB): the history is its largest part, so it is allocated only once a
    // stamped packet is sent (subscribers without transport-cc never pay it) and holds 2,048 packets, 51 KB: over two
    // seconds at 1,000 packets/s, while Chrome's feedback comes every 50–100 ms.
    public const int HistorySize = 2048;
    private const int Mask = HistorySize - 1;
    private long[]? _sequence;
    private long[] _sendUs = [];
    private int[] _size = [];
    private int[] _cluster = [];
    // Per packet: 0 not reported yet, 1 reported missing, 2 reported received.
    private byte[] _report = [];
    private long _next;

    public SubscriberBandwidth(long initialBps)
    {
        Estimator = new DownlinkEstimator(initialBps, MinBps, MaxBps);
    }

    public const long MinBps = 30_000;
    public const long MaxBps = 50_000_000;

    /// <summary>The transport-cc extension id answered for this subscriber's video slots (0: not negotiated).</summary>
    public int TransportCcId { get; set; }

    public DownlinkEstimator Estimator { get; }

    public bool RembSeen { get; set; }

    public string Source => Estimator.HasTransportFeedback ? "transport-cc" : RembSeen ? "remb" : "none";

    public bool HasEstimate => Estimator.HasTransportFeedback || RembSeen;

    /// <summary>The sequence number the next stamped packet gets (low 16 bits go on the wire).</summary>
    public long NextSequence => _next;

    /// <summary>The highest transport-wide sequence number any feedback has reported, received or lost (-1: none yet).</summary>
    public long HighestReported { get; private set; } = -1;

    /// <summary>When the next probe may start and when a finished one's result is taken.</summary>
    public ProbeSchedule Schedule { get; } = new();

    /// <summary>The probe cluster stamped packets currently belong to (0: none).</summary>
    public int ProbeCluster { get; set; }

    public long ProbeStartedTicks { get; set; }

    /// <summary>How long the probe in progress sends (a validating probe lasts until it has drained a rate limiter's burst).</summary>
    public long ProbeDurationTicks { get; set; }

    /// <summary>The probe in progress is a validating one (a step up waits for it; see <see cref="DownlinkEstimator.FinishProbe"/>).</summary>
    public bool ProbeValidates { get; set; }

    /// <summary>The probe in progress validates resuming a paused video (sized from the lowest layer's need, not the estimate).</summary>
    public bool ProbeResumes { get; set; }

    /// <summary>When a paused video may next try to come back (refused tries and failed resumes back off).</summary>
    public ResumeBackoff Resume { get; } = new();

    /// <summary>What the last accepted validating probe got through (bits per second) and when it finished (ticks; 0: none).</summary>
    public double ValidatedBps { get; set; }

    public long ValidatedAtTicks { get; set; }

    /// <summary>A step up is waiting only for a validating probe (the link lost packets lately).</summary>
    public bool WantsValidation { get; set; }

    /// <summary>When the subscriber's loss was last at or above <see cref="SfuRoom.PauseLossFraction"/> (ticks; 0: never).</summary>
    public long LastLossyTicks { get; set; }

    public int ProbesValidated { get; set; }

    public int ProbesRefused { get; set; }

    public double ProbeTargetBps { get; set; }

    /// <summary>Bytes sent since the probe started (media and padding); padding tops it up to the target rate.</summary>
    public long ProbeBytesSent { get; set; }

    /// <summary>Probe clusters started so far (the last one's id).</summary>
    public int ProbeClusters { get; set; }

    /// <summary>What the next step up (or resuming video) would need, in bits per second; 0 when nothing is wanted.</summary>
    public double WantedBps { get; set; }

    public bool ReportedPaused { get; set; }

    /// <summary>Since when (ticks) the subscriber's loss has stayed at or above <see cref="SfuRoom.PauseLossFraction"/>; 0 while below.</summary>
    public long LossySinceTicks { get; set; }

    /// <summary>Until when (ticks) a video that just resumed may not pause again (it gets its chance to show the link carries it).</summary>
    public long NoPauseUntilTicks { get; set; }

    public string? ReportedLayer { get; set; }

    public bool Reported { get; set; }

    public long PaddingPackets { get; set; }

    public long FeedbackPackets { get; set; }

    public long LastFeedbackTicks { get; set; }

    public static long NowMicroseconds() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    /// <summary>Records a stamped packet as sent (<paramref name="size"/> bytes on the wire) and advances the numbering.</summary>
    public void OnSent(long sendUs, int size)
    {
        var sequence = _sequence ?? AllocateHistory();
        var at = (int)(_next & Mask);
        sequence[at] = _next;
        _sendUs[at] = sendUs;
        _size[at] = size;
        _cluster[at] = ProbeCluster;
        _report[at] = 0;
        _next++;
        if (ProbeCluster != 0)
        {
            ProbeBytesSent += size;
        }
    }

    /// <summary>
    /// The send record of a 16-bit transport sequence number from feedback, once per packet — except that a packet
    /// reported missing may be reported received later (<paramref name="late"/>): Chrome moves its feedback window back
    /// over a packet that arrives after a later one and reports it again, received
    /// (draft-holmer-rmcat-transport-wide-cc-extensions-01 leaves reordering to the receiver; libwebrtc's
    /// RemoteEstimatorProxy keeps reported arrivals "in case a reordering happens and we need to retransmit them").
    /// Taking only the first report counted every reordered packet as lost.
    /// </summary>
    public bool TryTake(ushort sequence, bool received, out long sendUs, out int size, out int cluster, out bool late)
    {
        var last = _next - 1;
        var extended = last + (short)(sequence - (ushort)last);
        var at = (int)(extended & Mask);
        late = false;
        if (_sequence is null || extended < 0 || extended > last || _sequence[at] != extended
            || _report[at] == 2 || (_report[at] == 1 && !received))
        {
            sendUs = 0;
            size = 0;
            cluster = 0;
            return false;
        }
        late = _report[at] == 1;
        if (extended > HighestReported)
        {
            HighestReported = extended;
        }
        _report[at] = received ? (byte)2 : (byte)1;
        sendUs = _sendUs[at];
        size = _size[at];
        cluster = _cluster[at];
        return true;
    }

    private long[] AllocateHistory()
    {
        _sendUs = new long[HistorySize];
        _size = new int[HistorySize];
        _cluster = new int[HistorySize];
        _report = new byte[HistorySize];
        var sequence = new long[HistorySize];
        Array.Fill(sequence, -1);
        _sequence = sequence;
        return sequence;
    }
}
