// RFC 3550 §6.4 (SR/RR), RFC 4585 §6.2.1/§6.3.1 (NACK, PLI), RFC 5104 §4.3.1 (FIR), RFC 7667 §3.7 (SR translation in a
// switching middlebox), draft-alvestrand-rmcat-remb (REMB towards publishers).
using System.Buffers.Binary;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Srtp;

namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    private static readonly long KeyframeRequestInterval = TimeSpan.FromMilliseconds(300).Ticks;

    public void OnRtcp(SfuPeer peer, Span<byte> packet)
    {
        lock (_lock)
        {
            var context = peer.ReceiveContext;
            if (context is null || peer.Gone)
            {
                peer.CountDrop();
                return;
            }
            if (context.UnprotectRtcp(packet, out var length) != SrtpStatus.Ok)
            {
                SrtpFailures++;
                return;
            }
            peer.BytesIn += packet.Length;
            ReadOnlySpan<byte> compound = packet[..length];
            var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            while (RtcpWire.TryNext(ref compound, out var type, out var count, out var p))
            {
                switch (type)
                {
                    case RtcpWire.SenderReport:
                        OnSenderReport(peer, p, count, now);
                        break;
                    case RtcpWire.ReceiverReport:
                        OnReportBlocks(peer, p[8..], count, now);
                        break;
                    case RtcpWire.Bye:
                        OnBye(peer, p, count);
                        break;
                    case RtcpWire.TransportFeedback when count == 1:
                        OnNack(peer, p);
                        break;
                    case RtcpWire.PayloadFeedback when count is 1 or 4:
                        OnKeyframeRequest(peer, p, count);
                        break;
                    default:
                        break;
                }
            }
            if (!compound.IsEmpty)
            {
                MalformedPackets++;
            }
        }
    }

    private void OnSenderReport(SfuPeer peer, ReadOnlySpan<byte> p, int count, long now)
    {
        if (p.Length < 28)
        {
            MalformedPackets++;
            return;
        }
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(p[4..]);
        if (peer.StreamsBySsrc.TryGetValue(ssrc, out var stream) && !stream.IsRtx)
        {
            stream.OnSenderReport(BinaryPrimitives.ReadUInt64BigEndian(p[8..]), BinaryPrimitives.ReadUInt32BigEndian(p[16..]), now);
        }
        OnReportBlocks(peer, p[28..], count, now);
    }

    // RFC 3550 §6.6: a BYE for every stream a publisher sent means it left (Chrome sends one when its connection closes).
    private void OnBye(SfuPeer peer, ReadOnlySpan<byte> p, int count)
    {
        peer.ByeReceived = true;
        var ssrcs = p[4..];
        for (var i = 0; i < count && ssrcs.Length >= 4; i++, ssrcs = ssrcs[4..])
        {
            if (peer.StreamsBySsrc.TryGetValue(BinaryPrimitives.ReadUInt32BigEndian(ssrcs), out var stream))
            {
                stream.ByeReceived = true;
            }
        }
        if (peer.StreamsBySsrc.Count == 0)
        {
            return;
        }
        foreach (var stream in peer.StreamsBySsrc.Values)
        {
            if (!stream.ByeReceived && !stream.IsRtx)
            {
                return;
            }
        }
        var id = peer.Id;
        ThreadPool.QueueUserWorkItem(_ => RemovePeer(id, "RTCP BYE for all its streams"));
    }

    // RFC 3550 §6.4.1: RTT = now − LSR − DLSR, in 1/65536 s; LSR echoes the middle 32 bits of our SR's NTP time.
    private static void OnReportBlocks(SfuPeer peer, ReadOnlySpan<byte> blocks, int count, long now)
    {
        for (var i = 0; i < count && blocks.Length >= 24; i++, blocks = blocks[24..])
        {
            var ssrc = BinaryPrimitives.ReadUInt32BigEndian(blocks);
            if (!peer.SlotsBySsrc.TryGetValue(ssrc, out var slot))
            {
                continue;
            }
            slot.LossFraction = blocks[4] / 256.0;
            var lsr = BinaryPrimitives.ReadUInt32BigEndian(blocks[16..]);
            var dlsr = BinaryPrimitives.ReadUInt32BigEndian(blocks[20..]);
            if (lsr != 0 && lsr == slot.LastSenderReportMid)
            {
                var sinceSr = TimeSpan.FromTicks(now - slot.LastSenderReportTicks).TotalMilliseconds;
                var rtt = sinceSr - dlsr * 1000.0 / 65536.0;
                if (rtt >= 0)
                {
                    slot.RoundTripTimeMs = rtt;
                }
            }
        }
    }

    private void OnNack(SfuPeer subscriber, ReadOnlySpan<byte> p)
    {
        if (!RtcpWire.TryReadFeedback(p, out _, out var mediaSsrc) || !subscriber.SlotsBySsrc.TryGetValue(mediaSsrc, out var slot))
        {
            return;
        }
        var source = slot.Current;
        if (source is null)
        {
            return;
        }
        var upstream = 0;
        for (var fci = p[12..]; fci.Length >= 4; fci = fci[4..])
        {
            var pid = BinaryPrimitives.ReadUInt16BigEndian(fci);
            var blp = BinaryPrimitives.ReadUInt16BigEndian(fci[2..]);
            for (var bit = -1; bit < 16; bit++)
            {
                if (bit >= 0 && (blp & (1 << bit)) == 0)
                {
                    continue;
                }
                var outSeq = (ushort)(pid + bit + 1);
                if (!slot.Rewriter.TryMapBack(outSeq, out var sourceSeq))
                {
                    continue;
                }
                if (source.Cache is { } cache && cache.TryGet(sourceSeq, out var cached) && Resend(slot, cached, outSeq))
                {
                    slot.NackHits++;
                }
                else if (upstream < _nackScratch.Length)
                {
                    _nackScratch[upstream++] = sourceSeq;
                }
            }
        }
        if (upstream > 0 && source.Track.Publisher.IsConnected)
        {
            var length = RtcpWire.WriteNack(_rtcpScratch, source.Track.Publisher.RtcpSsrc, source.Ssrc, _nackScratch.AsSpan(0, upstream));
            source.Track.Publisher.SendRtcp(_rtcpScratch, length);
            slot.NackForwarded += upstream;
        }
    }

    private bool Resend(SubscriberSlot slot, ReadOnlySpan<byte> cached, ushort outSeq)
    {
        if (RtpHeader.TryParse(cached, out var header) != RtpParseError.None || slot.OutPayloadType < 0)
        {
            return false;
        }
        var timestamp = header.Timestamp + slot.Rewriter.TimestampOffset;
        WriteAndSend(slot, header.Marker, outSeq, timestamp, cached.Slice(header.PayloadOffset, header.PayloadLength));
        return true;
    }

    private void OnKeyframeRequest(SfuPeer subscriber, ReadOnlySpan<byte> p, int format)
    {
        uint mediaSsrc;
        if (format == 4 ? !RtcpWire.TryReadFirTarget(p, out mediaSsrc) : !RtcpWire.TryReadFeedback(p, out _, out mediaSsrc))
        {
            return;
        }
        if (subscriber.SlotsBySsrc.TryGetValue(mediaSsrc, out var slot))
        {
            RequestKeyframe(slot.Target ?? slot.Current, force: false);
        }
    }

    /// <summary>PLI (or FIR when only that was negotiated) to the publisher of <paramref name="stream"/>, at most every 300 ms unless forced.</summary>
    private void RequestKeyframe(IncomingStream? stream, bool force)
    {
        if (stream is null || stream.Track.IsAudio || !stream.Track.Publisher.IsConnected)
        {
            return;
        }
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        if (!force && now - stream.LastKeyframeRequestTicks < KeyframeRequestInterval)
        {
            return;
        }
        stream.LastKeyframeRequestTicks = now;
        var publisher = stream.Track.Publisher;
        var firOnly = false;
        foreach (var m in publisher.Media)
        {
            firOnly |= m.Mid == stream.Track.Mid && !m.Pli && m.Fir;
        }
        var length = firOnly
            ? RtcpWire.WriteFir(_rtcpScratch, publisher.RtcpSsrc, stream.Ssrc, ++stream.FirSequence)
            : RtcpWire.WritePli(_rtcpScratch, publisher.RtcpSsrc, stream.Ssrc);
        publisher.SendRtcp(_rtcpScratch, length);
    }
}
