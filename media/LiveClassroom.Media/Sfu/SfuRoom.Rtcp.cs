// RFC 3550 §6.4 (SR/RR), §6.6 (BYE), RFC 4585 §6.2.1/§6.3.1 (NACK, PLI), RFC 5104 §4.3.1 (FIR): what subscribers and
// publishers tell the SFU, on top of the Rtcp layer's parsers.
using System.Buffers.Binary;
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Srtp;

namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    // Chrome honours at most one keyframe request per 300 ms.
    private static readonly long ChromeKeyframeFloor = TimeSpan.FromMilliseconds(300).Ticks;

    public void OnRtcp(SfuPeer peer, Span<byte> packet)
    {
        var asked = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_lock)
        {
            OtherLockWait.Record(System.Diagnostics.Stopwatch.GetTimestamp() - asked);
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
            peer.Dtls.PeerFinished();
            peer.BytesIn += packet.Length;
            ReadOnlySpan<byte> compound = packet[..length];
            var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            if (peer.LastRtcpTicks != 0 && now - peer.LastRtcpTicks >= _options.OutageSilence.Ticks)
            {
                OnPeerHeardAgain(peer);
            }
            peer.LastRtcpTicks = now;
            peer.RtcpPacketsIn++;
            var packets = new RtcpCompoundEnumerator(compound);
            foreach (var item in packets)
            {
                var p = item.Slice(compound);
                switch (item.PacketType)
                {
                    case RtcpPacketType.SenderReport:
                        OnSenderReport(peer, p, now);
                        break;
                    case RtcpPacketType.ReceiverReport:
                        if (RtcpReceiverReport.TryParse(p, out var rr))
                        {
                            for (var i = 0; i < rr.ReportCount; i++)
                            {
                                OnReportBlock(peer, RtcpReceiverReport.GetReportBlock(p, i), now);
                            }
                        }
                        break;
                    case RtcpPacketType.Goodbye:
                        OnBye(peer, p);
                        break;
                    case RtcpPacketType.TransportFeedback or RtcpPacketType.PayloadFeedback:
                        if (RtcpFeedbackHeader.TryParse(p, out var feedback))
                        {
                            OnFeedback(peer, p, feedback);
                        }
                        break;
                    default:
                        break;
                }
            }
            if (packets.IsMalformed)
            {
                MalformedPackets++;
            }
        }
    }

    /// <summary>
    /// The peer's link is back after an outage (its first SRTCP after <see cref="MediaServerOptions.OutageSilence"/> of none). What the
    /// SFU forwarded meanwhile was lost whole, so the picture cannot decode until a keyframe: ask each of its video
    /// slots' publishers for one now (RFC 4585 §6.3.1 PLI, as a new subscriber gets), instead of leaving it to the
    /// browser, which asks only when its NACK list overflows (libwebrtc: more than 1,000 packets missing, so not for a
    /// low layer) or after 3 s without a decodable frame. And the estimate is kept as it stood before the outage: the
    /// packets sent into the dead link are no evidence of congestion (DownlinkEstimator.OnOutageEnded).
    /// </summary>
    private void OnPeerHeardAgain(SfuPeer peer)
    {
        peer.OutagesEnded++;
        peer.Bandwidth.Estimator.OnOutageEnded(SubscriberBandwidth.NowMicroseconds());
        foreach (var slot in peer.Slots.Values)
        {
            if (slot.Kind == "video")
            {
                RequestKeyframe(slot.Target ?? slot.Current, force: true);
            }
        }
    }

    private void OnSenderReport(SfuPeer peer, ReadOnlySpan<byte> p, long now)
    {
        if (!RtcpSenderReport.TryParse(p, out var sr))
        {
            MalformedPackets++;
            return;
        }
        if (peer.StreamsBySsrc.TryGetValue(sr.Ssrc, out var stream) && !stream.IsRtx)
        {
            stream.OnSenderReport(sr.NtpTimestamp, sr.RtpTimestamp, now);
        }
        for (var i = 0; i < sr.ReportCount; i++)
        {
            OnReportBlock(peer, RtcpSenderReport.GetReportBlock(p, i), now);
        }
    }

    // RFC 3550 §6.4.1: RTT = arrival − LSR − DLSR; LSR echoes the middle 32 bits of the NTP time of our last SR.
    private static void OnReportBlock(SfuPeer peer, in RtcpReportBlock block, long now)
    {
        if (!peer.SlotsBySsrc.TryGetValue(block.Ssrc, out var slot))
        {
            return;
        }
        slot.LossFraction = block.FractionLost / 256.0;
        // RFC 3550 §6.4.1: interarrival jitter in the slot's RTP timestamp units.
        slot.JitterMs = slot.ClockRate > 0 ? block.Jitter * 1000.0 / slot.ClockRate : 0;
        if (block.LastSenderReport != 0 && block.LastSenderReport == slot.LastSenderReportMid)
        {
            var arrival = slot.LastSenderReportMid + (uint)((now - slot.LastSenderReportTicks) * 65536 / TimeSpan.TicksPerSecond);
            if (NtpTimestamp.RoundTrip(arrival, block.LastSenderReport, block.DelaySinceLastSenderReport) is { } rtt)
            {
                slot.RoundTripTimeMs = rtt.TotalMilliseconds;
            }
        }
    }

    // A BYE for every stream a publisher sent means it left.
    private void OnBye(SfuPeer peer, ReadOnlySpan<byte> p)
    {
        if (!RtcpBye.TryGetSourceCount(p, out var count))
        {
            return;
        }
        peer.ByeReceived = true;
        for (var i = 0; i < count; i++)
        {
            if (peer.StreamsBySsrc.TryGetValue(RtcpBye.GetSsrc(p, i), out var stream))
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
        ThreadPool.QueueUserWorkItem(static state => state.Room.RemovePeer(state.Id, "RTCP BYE for all its streams"), (Room: this, peer.Id), preferLocal: false);
    }

    private void OnFeedback(SfuPeer subscriber, ReadOnlySpan<byte> p, in RtcpFeedbackHeader feedback)
    {
        if (feedback.IsNack)
        {
            OnNack(subscriber, feedback.MediaSsrc, feedback.Fci(p));
        }
        else if (feedback.IsTransportCc)
        {
            OnTransportFeedback(subscriber, feedback.Fci(p));
        }
        else if (feedback.IsApplicationLayer)
        {
            OnSubscriberRemb(subscriber, feedback.Fci(p));
        }
        else if (feedback.IsPli && subscriber.SlotsBySsrc.TryGetValue(feedback.MediaSsrc, out var slot))
        {
            RequestKeyframe(slot.Target ?? slot.Current, force: false);
        }
        else if (feedback.IsFir)
        {
            var fci = feedback.Fci(p);
            for (var i = 0; i < RtcpFir.EntryCount(fci); i++)
            {
                if (subscriber.SlotsBySsrc.TryGetValue(RtcpFir.GetEntry(fci, i).Ssrc, out var firSlot))
                {
                    RequestKeyframe(firSlot.Target ?? firSlot.Current, force: false);
                }
            }
        }
    }

    // RFC 4585 §6.2.1 / RFC 4588 §3: answered from the cache within the subscriber's retransmission budget; a packet the
    // SFU received but no longer caches is dropped (the publisher must not pay for one subscriber's link); only a packet
    // the SFU never got is asked of the publisher, once across all subscribers and within the stream's rate limit.
    private void OnNack(SfuPeer subscriber, uint mediaSsrc, ReadOnlySpan<byte> fci)
    {
        if (!subscriber.SlotsBySsrc.TryGetValue(mediaSsrc, out var slot) || slot.Current is not { } source)
        {
            return;
        }
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        var lost = _nackScratch.AsSpan(0, RtcpNack.Expand(fci, _nackScratch));
        if (slot.Paused)
        {
            // Audio-first: the link is short of what the lowest layer needs, and the video resumes on a fresh keyframe.
            // Repairing frames from before the pause spends that link on pictures nothing needs (RuralLinkFigures
            // 2026-12-06 01:39: on 150 kbit/s, 97 NACKs answered over 6 s completed a cut-off keyframe 13 s into a pause).
            slot.NackDropped += lost.Length;
            return;
        }
        var upstream = 0;
        foreach (var outSeq in lost)
        {
            if (!slot.Rewriter.TryMapBack(outSeq, out var sourceSeq))
            {
                continue;
            }
            if (source.Cache is { } cache && cache.TryGet(sourceSeq, out var cached))
            {
                if (!subscriber.RetransmissionBudget.TryTake(cached.Length, now))
                {
                    slot.RetransmissionsOverBudget++;
                }
                else if (Resend(slot, cached, outSeq))
                {
                    slot.NackHits++;
                }
                continue;
            }
            switch (source.History?.Query(sourceSeq) ?? ReceivedHistory.PacketState.Unknown)
            {
                case ReceivedHistory.PacketState.Missing when source.UpstreamNacks.TryTake(1, now):
                    source.History!.MarkRequested(sourceSeq);
                    // Mapped in place: the slot being read lies behind the one being written.
                    _nackScratch[upstream++] = sourceSeq;
                    break;
                case ReceivedHistory.PacketState.Requested:
                    slot.NackCoalesced++;
                    break;
                default:
                    slot.NackDropped++;
                    break;
            }
        }
        if (upstream > 0 && source.Track.Publisher.IsConnected)
        {
            var length = RtcpWriter.WriteNack(_rtcpScratch, source.Track.Publisher.RtcpSsrc, source.Ssrc, _nackScratch.AsSpan(0, upstream));
            source.Track.Publisher.SendRtcp(_rtcpScratch, length);
            slot.NackForwarded += upstream;
            source.NacksForwarded += upstream;
            SfuMetrics.Nacked(upstream);
        }
    }

    /// <summary>Longest gap the SFU asks to have repaired packet by packet; past it the link was down and a keyframe is cheaper.</summary>
    private const int MaxRequestedGap = 64;

    /// <summary>
    /// RFC 4585 §6.2.1 / RFC 4588: a gap in a publisher's video is asked of it at once (the packets before
    /// <paramref name="seq"/>), within the stream's upstream rate limit. The SFU asks for itself, not for a subscriber:
    /// the recorder takes packets from the SFU and cannot ask, and every subscriber lacks the same packets. Subscribers'
    /// NACKs for them then find them requested (coalesced). Gaps longer than <see cref="MaxRequestedGap"/> are left
    /// to keyframe requests.
    /// </summary>
    private void RequestGap(IncomingStream stream, ushort seq, int gap)
    {
        var publisher = stream.Track.Publisher;
        if (gap > MaxRequestedGap || !publisher.IsConnected || stream.History is not { } history)
        {
            return;
        }
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        var count = 0;
        for (var i = gap; i >= 1; i--)
        {
            var missing = (ushort)(seq - i);
            if (!stream.UpstreamNacks.TryTake(1, now))
            {
                break;
            }
            history.MarkRequested(missing);
            _gapScratch[count++] = missing;
        }
        if (count == 0)
        {
            return;
        }
        var length = RtcpWriter.WriteNack(_rtcpScratch, publisher.RtcpSsrc, stream.Ssrc, _gapScratch.AsSpan(0, count));
        publisher.SendRtcp(_rtcpScratch, length);
        stream.NacksForwarded += count;
        SfuMetrics.Nacked(count);
    }

    private readonly ushort[] _gapScratch = new ushort[MaxRequestedGap];

    private bool Resend(SubscriberSlot slot, ReadOnlySpan<byte> cached, ushort outSeq)
    {
        if (RtpHeader.TryParse(cached, out var header) != RtpParseError.None || slot.OutPayloadType < 0)
        {
            return false;
        }
        var timestamp = header.Timestamp + slot.Rewriter.TimestampOffset;
        var payload = cached.Slice(header.PayloadOffset, header.PayloadLength);
        if (slot.RtxSsrc != 0 && RtxPayloadTypeOf(slot) is var rtxPt and >= 0)
        {
            SendRtx(slot, (byte)rtxPt, header.Marker, outSeq, timestamp, payload);
        }
        else
        {
            WriteAndSend(slot, header.Marker, outSeq, timestamp, payload, null);
        }
        return true;
    }

    /// <summary>
    /// RFC 4588 §4: a retransmission on the slot's RTX stream (its own SSRC, payload type and sequence numbers, the
    /// original sequence number as the payload's first two bytes), for a subscriber that negotiated RTX (§8, the FID
    /// group in the answer). A packet that was only late then arrives twice under different SSRCs: the subscriber's
    /// SRTP replay check (RFC 3711 §3.3.2) passes both and its transport-cc feedback reports both received, where a
    /// repeat on the media SSRC is dropped as a replay and its transport-wide number reads as lost. Not counted in the
    /// media stream's sender report (§4: the RTX stream has its own counts).
    /// </summary>
    private void SendRtx(SubscriberSlot slot, byte rtxPayloadType, bool marker, ushort originalSeq, uint timestamp, ReadOnlySpan<byte> payload)
    {
        var buffer = Scratch.AsSpan();
        var bandwidth = slot.Subscriber.Bandwidth;
        var headerLength = WriteSubscriberHeader(slot, buffer, rtxPayloadType, marker, slot.RtxSequence++, timestamp, slot.RtxSsrc, out var stamp);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[headerLength..], originalSeq);
        var payloadStart = headerLength + 2;
        payload.CopyTo(buffer[payloadStart..]);
        var length = payloadStart + payload.Length;
        if (slot.Current?.Track.Codec.Name == "VP8")
        {
            slot.Vp8.Rewrite(buffer[payloadStart..length]);
        }
        if (slot.Subscriber.SendRtp(buffer, length))
        {
            slot.RtxPacketsSent++;
            SfuMetrics.Forwarded(payload.Length);
            if (stamp)
            {
                bandwidth.OnSent(SubscriberBandwidth.NowMicroseconds(), length + WireOverhead);
            }
        }
    }

    /// <summary>
    /// PLI (or FIR when only that was negotiated) to the publisher of <paramref name="stream"/>. Requests are coalesced
    /// across subscribers: a subscriber's PLI goes upstream at most every <see cref="MediaServerOptions.KeyframeRequestInterval"/>;
    /// a switch, a new subscriber or a tap (<paramref name="force"/>) after 300 ms, Chrome's own floor, below which a
    /// second request would be ignored anyway and the keyframe already asked for serves them all.
    /// Coalesced per track, not per layer: Chrome answers a PLI on any simulcast layer with a keyframe on every layer
    /// (measured: RuralLinkFigures prints equal keyframe counts for q, h and f), so a request on another layer within the
    /// interval adds a keyframe burst on every classroom's link and nothing else. A publisher that keyframes only the
    /// layer asked for is covered by the retries: a pending switch asks again (SwitchRetryInterval), a decoder again.
    /// </summary>
    private void RequestKeyframe(IncomingStream? stream, bool force)
    {
        if (stream is null || stream.Track.IsAudio || !stream.Track.Publisher.IsConnected)
        {
            return;
        }
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        var interval = force ? ChromeKeyframeFloor : Math.Max(ChromeKeyframeFloor, _options.KeyframeRequestInterval.Ticks);
        var track = stream.Track;
        if (now - Math.Max(stream.LastKeyframeRequestTicks, track.LastKeyframeRequestTicks) < interval)
        {
            stream.KeyframeRequestsCoalesced++;
            return;
        }
        stream.LastKeyframeRequestTicks = now;
        track.LastKeyframeRequestTicks = now;
        stream.KeyframeRequestsSent++;
        SfuMetrics.KeyframeRequested();
        var publisher = stream.Track.Publisher;
        var firOnly = false;
        foreach (var m in publisher.Media)
        {
            firOnly |= m.Mid == stream.Track.Mid && !m.Pli && m.Fir;
        }
        var length = firOnly
            ? RtcpWriter.WriteFir(_rtcpScratch, publisher.RtcpSsrc, stream.Ssrc, ++stream.FirSequence)
            : RtcpWriter.WritePli(_rtcpScratch, publisher.RtcpSsrc, stream.Ssrc);
        publisher.SendRtcp(_rtcpScratch, length);
    }
}
