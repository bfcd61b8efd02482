using System.Net;

namespace LiveClassroom.Media;

/// <summary>Configuration of one SFU node: one UDP socket shared by every peer of every room.</summary>
public sealed class MediaServerOptions
{
    /// <summary>UDP port; 0 picks an ephemeral one (tests).</summary>
    public int Port { get; init; }

    public IPAddress BindAddress { get; init; } = IPAddress.Any;

    /// <summary>
    /// Packet workers: UDP sockets sharing the port with SO_REUSEPORT, one receive thread each (the kernel keeps each
    /// peer on one of them), and as many lanes that split a large room's fan-out (Linux; one elsewhere). Default: one
    /// per core. 1 = a single socket and thread, as before. See the media README, "Workers".
    /// </summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// A packet goes to this many subscribers or more: its fan-out is split over the workers' lanes. Each subscriber
    /// costs ≈ 5–10 µs (rewrite, SRTP protect, send); waking a lane a few µs, so smaller rooms forward inline.
    /// </summary>
    public int ParallelFanOutMinimum { get; init; } = 48;

    /// <summary>
    /// A split fan-out is cut into this many chunks per forwarding thread (at least 8 listeners each). One: each thread
    /// forwards to the same subscribers split after split (the worker the first chunk, lanes from the last; a lane that
    /// wakes late leaves its chunk to the worker), so a subscriber's SRTP context, slot and socket never change core.
    /// More: a shorter wait for a lane preempted mid-chunk, but the chunks where the worker and the lanes meet change
    /// core from split to split. Measured (workers benchmark, quiet 2-core machine, 2026-12-05 13:22): 1 → 1.80× / 1.82×
    /// at N = 150 / 300, two workers −4 % per CPU-second; 4 → 1.66× / 1.67×, −12 %.
    /// </summary>
    public int FanOutChunksPerThread { get; init; } = 1;

    /// <summary>
    /// Datagrams a worker takes off its socket at most in one go, never waiting for more than the first: a publisher's
    /// burst then reaches its room in one call, and a large room splits one fan-out for the whole burst instead of one
    /// per packet (media README, "Workers"). 1 = one datagram at a time.
    /// </summary>
    public int ReceiveBatch { get; init; } = 16;

    /// <summary>
    /// A large room's burst (see <see cref="ReceiveBatch"/>) goes to each subscriber in one system call (sendmmsg, Linux;
    /// one send each elsewhere), with one worker too. Off: one send per packet, and a single worker forwards each packet
    /// as it comes, as before (media README, "Workers"; the workers benchmark's --batched-sends compares the two).
    /// </summary>
    public bool BatchedSends { get; init; } = true;

    /// <summary>
    /// ICE-TCP (RFC 6544) passive port for networks that block UDP; null disables it, 0 takes the bound UDP port's number when that TCP port is free (else an ephemeral one).
    /// Answers then carry <c>tcptype passive</c> host candidates after the UDP ones.
    /// </summary>
    public int? TcpPort { get; init; }

    /// <summary>Tests and diagnostics: leave the UDP candidates out of answers so browsers must use ICE-TCP.</summary>
    public bool AdvertiseUdp { get; init; } = true;

    /// <summary>Addresses written as host candidates (tests advertise 127.0.0.1); empty means the bind address.</summary>
    public IReadOnlyList<IPAddress> AdvertisedAddresses { get; init; } = [];

    public SrtpProfilePreference SrtpProfile { get; init; } = SrtpProfilePreference.PreferGcm;

    public VideoCodecPreference VideoCodec { get; init; } = VideoCodecPreference.H264;

    /// <summary>RFC 7675 consent: a peer with no valid ICE check for this long is gone.</summary>
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The REMB value (draft-alvestrand-rmcat-remb-03) sent to a publisher each second, per video track it sends: Chrome
    /// never starts its top simulcast layer without receiver feedback, and splits what REMB allows over all its video
    /// senders, so a teacher sharing the screen beside a simulcast camera (~2.1 Mbps) needs room for both.
    /// </summary>
    public long RembPerVideoTrackBps { get; init; } = 2_500_000;

    /// <summary>The most REMB ever allows one publisher, however many video tracks it sends.</summary>
    public long RembMaxBps { get; init; } = 8_000_000;

    /// <summary>
    /// Echo transport-cc in answers. Off by default: with transport-cc negotiated Chrome ignores REMB for its send
    /// estimate and waits for transport-wide feedback, which this SFU does not generate yet.
    /// </summary>
    public bool NegotiateTransportCc { get; init; }

    /// <summary>Packets kept per video stream for answering NACKs (power of two).</summary>
    public int RetransmissionCacheSize { get; init; } = 512;

    /// <summary>
    /// Bytes of packets kept per video stream for NACKs (rounded up to 32 KiB chunks, allocated as the stream first
    /// fills them). The default holds about two seconds of a 1.2 Mbps layer.
    /// </summary>
    public int RetransmissionCacheBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Incoming SSRCs one peer may have in all (layers and RTX over all its tracks). Each track already takes only its
    /// negotiated rids (or one stream) plus one RTX each; packets of SSRCs beyond either limit are dropped and counted.
    /// </summary>
    public int MaxIncomingStreamsPerPeer { get; init; } = 16;

    /// <summary>A new SSRC replaces a track's stream (a camera restart) only after the old one has been silent this long.</summary>
    public TimeSpan StreamReplaceAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Most m-sections an offer may have (publish transceivers plus receive slots, rejected ones included); a larger
    /// offer is refused with <see cref="MediaNegotiationException"/> (<c>too_many_media_sections</c>).
    /// </summary>
    public int MaxMediaSections { get; init; } = 40;

    /// <summary>
    /// Retransmissions (NACK answers from the cache) a subscriber may receive, in bits per second, while no bandwidth
    /// estimate exists for it; with an estimate the budget is <see cref="RetransmissionShare"/> of it, never below this.
    /// </summary>
    public long RetransmissionBudgetBps { get; init; } = 250_000;

    /// <summary>Share of a subscriber's estimated downlink that retransmissions may take (0–1).</summary>
    public double RetransmissionShare { get; init; } = 0.25;

    /// <summary>
    /// Least time between two keyframe requests (PLI/FIR) the SFU sends a publisher for one stream on behalf of
    /// subscribers' PLIs; requests in between are coalesced. A switch or a new subscriber may ask after 300 ms (Chrome's floor).
    /// </summary>
    public TimeSpan KeyframeRequestInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// A peer from which no SRTCP came for this long had its link down: the first that comes again asks its video slots'
    /// publishers for a keyframe and keeps its downlink estimate (SfuRoom.OnPeerHeardAgain). Chrome sends a receiver
    /// report at least every second while it receives video, and transport-wide feedback every ~100 ms.
    /// </summary>
    public TimeSpan OutageSilence { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Answer transport-cc on the video slots the SFU sends subscribers, stamp the transport-wide sequence number on
    /// every packet it forwards there and estimate each subscriber's downlink from the feedback (docs/BANDWIDTH.md).
    /// Off: a subscriber's REMB (if any) is its estimate.
    /// </summary>
    public bool DownlinkTransportCc { get; init; } = true;

    /// <summary>The estimate a subscriber starts from before feedback says otherwise (bits per second).</summary>
    public long InitialDownlinkEstimateBps { get; init; } = 800_000;

    /// <summary>
    /// Choose each subscriber's simulcast layer from its estimate and pause its video below the lowest layer
    /// (audio-first, only on a link that loses packets). Off: slots carry the layer they were routed to, always.
    /// </summary>
    public bool AdaptiveLayers { get; init; } = true;

    /// <summary>Send padding probes on a subscriber's RTX stream when its estimate is below the next layer.</summary>
    public bool Probing { get; init; } = true;

    /// <summary>
    /// Answer audio/red (RFC 2198, redundant Opus) where the offer has it: publishers then send RED, subscribers that
    /// offered it receive it whole in their own payload types, the others (and recording taps) get the primary Opus only.
    /// </summary>
    public bool NegotiateRed { get; init; } = true;
}
