using System.Diagnostics;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Tests.Bwe;

namespace LiveClassroom.Media.Tests.Sfu.Layers;

/// <summary>
/// A synthetic subscriber behind an emulated bottleneck, answering like Chrome with transport-wide feedback
/// (draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1). Each decrypted packet goes through a FIFO drained at
/// <see cref="CapacityBps"/>: its reported arrival time is when it would leave that queue; a packet that would wait
/// more than <see cref="MaxQueueUs"/> (300 ms) is dropped (reported not received). Optionally a token bucket in front
/// (<see cref="BurstBytes"/>: up to that many bytes leave at line rate while the link was idle, as Linux `tbf` does) and
/// random loss (<see cref="LossPercent"/>, seeded). Runs on the peer's receive thread; no sleeps.
/// </summary>
internal sealed class EmulatedDownlink
{
    public const int TransportCcId = 3;
    private readonly SyntheticPeer _peer;
    private readonly Random _loss = new(15);
    private readonly BottleneckQueue _queue = new(10_000_000, 300_000);
    private readonly TransportCcFeedbackBuilder _builder = new();
    private readonly byte[] _rtcp = new byte[1600];
    private long _lastFeedbackUs;
    private bool _started;
    private byte _feedbackCount;
    private int _lastAdded = -1;
    private long _videoByLayer0;
    private long _videoByLayer1;
    private long _videoByLayer2;
    private long _audio;
    private long _stampedAudio;
    private long _padding;
    private long _lastVideo = -1;

    public EmulatedDownlink(SyntheticPeer peer)
    {
        _peer = peer;
        peer.OnPlainRtp = OnPacket;
    }

    public double CapacityBps { get => _queue.CapacityBps; set => _queue.CapacityBps = value; }

    /// <summary>A packet that would wait longer than this (µs) is dropped.</summary>
    public long MaxQueueUs { get => _queue.MaxQueueUs; set => _queue.MaxQueueUs = value; }

    /// <summary>The token bucket's size (0: none, a plain FIFO drained at <see cref="CapacityBps"/>).</summary>
    public int BurstBytes { get => _queue.BurstBytes; set => _queue.BurstBytes = value; }

    /// <summary>Share of packets dropped at random before the bottleneck (0–100).</summary>
    public double LossPercent { get; set; }

    public long Audio => Interlocked.Read(ref _audio);

    /// <summary>Audio packets that carried the transport-wide sequence number (they are in the feedback).</summary>
    public long StampedAudio => Interlocked.Read(ref _stampedAudio);

    public long Padding => Interlocked.Read(ref _padding);

    public long Video(int layer) => layer switch
    {
        0 => Interlocked.Read(ref _videoByLayer0),
        1 => Interlocked.Read(ref _videoByLayer1),
        _ => Interlocked.Read(ref _videoByLayer2),
    };

    public long VideoTotal => Video(0) + Video(1) + Video(2);

    /// <summary>The SSRC and sequence number of the last video packet that got through (null before one).</summary>
    public (uint Ssrc, ushort Sequence)? LastVideo =>
        Interlocked.Read(ref _lastVideo) is var v and >= 0 ? ((uint)(v >> 16), (ushort)v) : null;

    /// <summary>Sends a generic NACK (RFC 4585 §6.2.1) for <paramref name="sequence"/> of <paramref name="ssrc"/>, as Chrome would.</summary>
    public void SendNack(uint ssrc, ushort sequence)
    {
        var buffer = new byte[64];
        var length = RtcpWriter.WriteNack(buffer, 0x6600_0001, ssrc, [sequence]);
        _peer.SendRtcp(buffer, length);
    }

    private static long NowUs() => (long)(Stopwatch.GetTimestamp() * (1_000_000.0 / Stopwatch.Frequency));

    private void OnPacket(ReadOnlySpan<byte> packet)
    {
        if (RtpHeader.TryParse(packet, out var header) != RtpParseError.None)
        {
            return;
        }
        var now = NowUs();
        var pt = header.PayloadType;
        var wireBytes = packet.Length + 44;
        var offer = _queue.Offer(now, wireBytes);
        var leaves = offer.LeavesUs;
        var dropped = !offer.Fits || (LossPercent > 0 && _loss.NextDouble() * 100 < LossPercent);
        if (!dropped)
        {
            _queue.Admit(offer);
            Count(pt, packet, header);
        }
        if (!RtpExtensions.TryGetTransportSequenceNumber(packet, header, TransportCcId, out var transportSeq))
        {
            // Like Chrome's periodic feedback: what arrived so far is reported even when the stamped packets pause.
            if (_started && now - _lastFeedbackUs >= 50_000)
            {
                Flush(now);
            }
            return;
        }
        if (pt == 111)
        {
            Interlocked.Increment(ref _stampedAudio);
        }
        if (!_started)
        {
            _builder.Reset(transportSeq, _feedbackCount++);
            _started = true;
            _lastFeedbackUs = now;
        }
        if (!dropped && !_builder.TryAddReceived(transportSeq, leaves))
        {
            Flush(now);
            _builder.Reset(transportSeq, _feedbackCount++);
            _builder.TryAddReceived(transportSeq, leaves);
        }
        if (!dropped)
        {
            _lastAdded = transportSeq;
        }
        if (now - _lastFeedbackUs >= 50_000)
        {
            Flush(now);
        }
    }

    private void Count(int pt, ReadOnlySpan<byte> packet, in RtpHeader header)
    {
        if (pt == 111)
        {
            Interlocked.Increment(ref _audio);
        }
        else if (header.PayloadLength == 0)
        {
            Interlocked.Increment(ref _padding);
        }
        else if (pt == 96 && header.PayloadLength > 5)
        {
            Interlocked.Exchange(ref _lastVideo, ((long)header.Ssrc << 16) | header.SequenceNumber);
            var layer = packet[header.PayloadOffset + 5];
            Interlocked.Increment(ref layer == 0 ? ref _videoByLayer0 : ref layer == 1 ? ref _videoByLayer1 : ref _videoByLayer2);
        }
    }

    private void Flush(long now)
    {
        _lastFeedbackUs = now;
        if (_builder.IsEmpty || _lastAdded < 0)
        {
            return;
        }
        var length = _builder.Write(_rtcp, 0x6600_0001, 0);
        if (length > 0)
        {
            _peer.SendRtcp(_rtcp, length);
        }
        _builder.Reset((ushort)(_lastAdded + 1), _feedbackCount++);
    }
}
