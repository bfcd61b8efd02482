// RFC 3550 §6.4.1–6.4.2 (SR/RR every second here, far below the 5% bandwidth cap), §6.2 (report interval);
// RFC 7675 §5.1 (consent checked periodically); RFC 7667 §3.7 (SR timestamps translated through the rewrite).

using LiveClassroom.Media.Rtcp;

namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    private static readonly long ReportInterval = TimeSpan.FromSeconds(1).Ticks;
    // Just over Chrome's 300 ms keyframe-request floor, so a retry is never swallowed by it.
    private static readonly long SwitchRetryInterval = TimeSpan.FromMilliseconds(350).Ticks;

    /// <summary>The server's timer thread, every ~100 ms: consent, keyframe retries, and once a second reports and stats.</summary>
    public void Tick()
    {
        List<SfuPeer> peers;
        var asked = System.Diagnostics.Stopwatch.GetTimestamp();
        lock (_lock)
        {
            OtherLockWait.Record(System.Diagnostics.Stopwatch.GetTimestamp() - asked);
            peers = [.. _peers.Values];
        }
        foreach (var peer in peers)
        {
            // May raise ConsentExpired, which removes the peer (taking the lock itself). A relay stand-in has no ICE.
            if (peer.Uplink is null)
            {
                peer.Ice.CheckConsent();
            }
        }
        lock (_lock)
        {
            var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
            foreach (var peer in _peers.Values)
            {
                foreach (var slot in peer.Slots.Values)
                {
                    if (slot.Rewriter.IsSwitchPending && slot.Target is { } target && peer.IsConnected && now - slot.LastKeyframeRequestTicks > SwitchRetryInterval)
                    {
                        slot.LastKeyframeRequestTicks = now;
                        RequestKeyframe(target, force: true);
                    }
                }
                TickBandwidth(peer, now);
                if (now - peer.LastReportTicks < ReportInterval || !peer.IsConnected)
                {
                    continue;
                }
                var seconds = peer.LastReportTicks == 0 ? 1.0 : TimeSpan.FromTicks(now - peer.LastReportTicks).TotalSeconds;
                peer.InboundBitrateBps = (long)((peer.BytesIn - peer.StatsBytesIn) * 8 / seconds);
                peer.OutboundBitrateBps = (long)((peer.BytesOut - peer.StatsBytesOut) * 8 / seconds);
                peer.StatsBytesIn = peer.BytesIn;
                peer.StatsBytesOut = peer.BytesOut;
                peer.LastReportTicks = now;
                MeasureLayers(peer, seconds);
                SendReceiverReportAndRemb(peer, now);
                foreach (var slot in peer.Slots.Values)
                {
                    SendSenderReport(slot, now);
                }
            }
        }
    }

    // What each incoming stream (a simulcast layer's cost) carried over the last second, smoothed.
    private static void MeasureLayers(SfuPeer publisher, double seconds)
    {
        foreach (var stream in publisher.StreamsBySsrc.Values)
        {
            var bps = stream.BytesSinceMeasure * 8 / seconds;
            stream.BytesSinceMeasure = 0;
            stream.BitrateBps = stream.BitrateBps <= 0 ? bps : (0.6 * stream.BitrateBps) + (0.4 * bps);
        }
    }

    // One compound per publisher: RR with a block per incoming primary stream, then REMB for its video SSRCs.
    private void SendReceiverReportAndRemb(SfuPeer peer, long now)
    {
        if (peer.Tracks.Count == 0)
        {
            return;
        }
        var blocks = _blockScratch.AsSpan();
        var count = 0;
        var videoSsrcs = 0;
        foreach (var stream in peer.StreamsBySsrc.Values)
        {
            if (stream.IsRtx || count == blocks.Length)
            {
                continue;
            }
            blocks[count++] = stream.CreateReportBlock(now);
            if (!stream.Track.IsAudio && videoSsrcs < _ssrcScratch.Length)
            {
                _ssrcScratch[videoSsrcs++] = stream.Ssrc;
            }
        }
        var buffer = _rtcpScratch.AsSpan();
        var offset = RtcpWriter.WriteReceiverReport(buffer, peer.RtcpSsrc, blocks[..count]);
        if (videoSsrcs > 0)
        {
            offset += RtcpWriter.WriteRemb(buffer[offset..], peer.RtcpSsrc, (ulong)RembFor(peer), _ssrcScratch.AsSpan(0, videoSsrcs));
        }
        peer.SendRtcp(buffer, offset);
    }

    /// <summary>What REMB allows a publisher: <see cref="MediaServerOptions.RembPerVideoTrackBps"/> per video track it sends, at most <see cref="MediaServerOptions.RembMaxBps"/>.</summary>
    internal long RembFor(SfuPeer publisher)
    {
        var videoTracks = 0;
        foreach (var track in publisher.Tracks.Values)
        {
            if (!track.IsAudio && !track.Unpublished && track.Layers.Count > 0)
            {
                videoTracks++;
            }
        }
        return Math.Min(Math.Max(1, videoTracks) * _options.RembPerVideoTrackBps, _options.RembMaxBps);
    }

    // The source's NTP↔RTP pair, extrapolated to now and moved through the slot's timestamp offset, keeps lip sync
    // across audio and video slots fed by the same publisher.
    private void SendSenderReport(SubscriberSlot slot, long now)
    {
        var source = slot.Current;
        if (source is null || !source.HasSenderReport || slot.PacketsSent == 0)
        {
            return;
        }
        var elapsed = now - source.SenderReportTicks;
        var ntp = source.SenderReportNtp + (ulong)(elapsed * 65536.0 * 65536.0 / TimeSpan.TicksPerSecond);
        var rtp = source.SenderReportRtp + (uint)(elapsed * slot.ClockRate / TimeSpan.TicksPerSecond) + slot.Rewriter.TimestampOffset;
        var length = RtcpWriter.WriteSenderReport(_rtcpScratch, slot.Rewriter.OutSsrc, ntp, rtp, slot.PacketsSent, slot.OctetsSent, []);
        // RFC 3550 §6.1: a full compound carries the SDES CNAME, the same for every slot of this subscriber.
        var sdes = RtcpWriter.WriteSdesCname(_rtcpScratch.AsSpan(length), slot.Rewriter.OutSsrc, slot.Subscriber.CnameBytes);
        length += Math.Max(0, sdes);
        slot.LastSenderReportMid = NtpTimestamp.Compact(ntp);
        slot.LastSenderReportTicks = now;
        slot.Subscriber.SendRtcp(_rtcpScratch, length);
    }

    internal string Diagnostics()
    {
        lock (_lock)
        {
            var text = new System.Text.StringBuilder($"room {Id}: srtpFail={SrtpFailures} unknown={UnknownStreamPackets} malformed={MalformedPackets} streamLimitDrops={StreamLimitDrops} duplicateRepairs={DuplicateRepairs}");
            foreach (var peer in _peers.Values)
            {
                text.Append($"; {peer.Id}: ice={peer.Ice.State} ok={peer.Ice.ResultCount(Ice.IceCheckResult.Success)} sel={peer.Ice.SelectedAddress} ");
                text.Append($"dtls(conn={peer.Dtls.IsConnected} fail={peer.Dtls.HasFailed} rx={peer.Dtls.ReceivedDatagrams} tx={peer.Dtls.SentDatagrams} bad={peer.Dtls.MalformedDatagrams}) ");
                text.Append($"bye={peer.ByeReceived} in={peer.BytesIn} out={peer.BytesOut} streams={peer.StreamsBySsrc.Count} drops={peer.Dropped} ");
                text.Append($"streamLimitDrops={peer.StreamLimitDrops} cacheBytes={BufferedBytes(peer)}");
                if (peer.Bandwidth.HasEstimate)
                {
                    var b = peer.Bandwidth;
                    var e = b.Estimator;
                    text.Append($" bwe(src={b.Source} init={e.IsInitialized} est={e.EstimateBps} delay={e.DelayBasedBps} loss={e.LossBasedBps} p={e.LossFraction:F2} ");
                    text.Append($"usage={e.Usage} rx={e.ReceivedBps} wanted={b.WantedBps:F0} probes={b.ProbeClusters} validated={b.ProbesValidated} refused={b.ProbesRefused}({e.LastProbeRefusal}) settledOnFeedback={b.Schedule.SettledOnFeedback} lastProbe={e.LastProbeBps} fb={b.FeedbackPackets} pad={b.PaddingPackets})");
                }
                foreach (var r in Enum.GetValues<Ice.IceCheckResult>())
                {
                    if (r != Ice.IceCheckResult.Success && peer.Ice.ResultCount(r) > 0)
                    {
                        text.Append($" ice.{r}={peer.Ice.ResultCount(r)}");
                    }
                }
            }
            return text.ToString();
        }
    }

    public IReadOnlyList<MediaPeerStats> GetStats()
    {
        lock (_lock)
        {
            var list = new List<MediaPeerStats>(_peers.Count);
            foreach (var peer in _peers.Values)
            {
                list.Add(StatsOf(peer));
            }
            return list;
        }
    }

    private MediaPeerStats StatsOf(SfuPeer peer)
    {
        double inLoss = 0;
        var inStreams = 0;
        long upstreamNacks = 0, keyframes = 0, keyframesCoalesced = 0;
        foreach (var stream in peer.StreamsBySsrc.Values)
        {
            if (!stream.IsRtx)
            {
                inLoss += stream.LossFraction;
                inStreams++;
                upstreamNacks += stream.NacksForwarded;
                keyframes += stream.KeyframeRequestsSent;
                keyframesCoalesced += stream.KeyframeRequestsCoalesced;
            }
        }
        double outLoss = 0;
        double rtt = 0;
        double jitter = 0;
        var slots = 0;
        long forwarded = 0, hits = 0, overBudget = 0, dropped = 0, coalesced = 0, nackForwarded = 0;
        string? layer = null;
        foreach (var slot in peer.Slots.Values)
        {
            forwarded += slot.PacketsForwarded;
            hits += slot.NackHits;
            overBudget += slot.RetransmissionsOverBudget;
            dropped += slot.NackDropped;
            coalesced += slot.NackCoalesced;
            nackForwarded += slot.NackForwarded;
            if (slot.Current is null)
            {
                continue;
            }
            slots++;
            outLoss += slot.LossFraction;
            rtt = Math.Max(rtt, slot.RoundTripTimeMs);
            jitter = Math.Max(jitter, slot.JitterMs);
            if (slot.Kind == "video")
            {
                layer ??= slot.Current.Rid ?? "single";
            }
        }
        var state = peer.Gone ? "gone" : peer.IsConnected ? "connected" : peer.Dtls.HasFailed ? "failed" : "connecting";
        return new MediaPeerStats(peer.Id, state, peer.InboundBitrateBps, peer.OutboundBitrateBps,
            inStreams == 0 ? 0 : inLoss / inStreams, slots == 0 ? 0 : outLoss / slots, rtt, layer, forwarded, peer.Dropped,
            BufferedBytes(peer), peer.StreamsBySsrc.Count, peer.StreamLimitDrops)
        {
            Retransmissions = hits,
            RetransmissionsOverBudget = overBudget,
            NacksDropped = dropped,
            NacksCoalesced = coalesced,
            NacksForwarded = nackForwarded,
            NacksReceivedUpstream = upstreamNacks,
            KeyframeRequests = keyframes,
            KeyframeRequestsCoalesced = keyframesCoalesced,
            RtcpPacketsIn = peer.RtcpPacketsIn,
            OutagesEnded = peer.OutagesEnded,
            EstimatedBitrateBps = peer.Bandwidth.HasEstimate ? peer.Bandwidth.Estimator.EstimateBps : 0,
            EstimateSource = peer.Bandwidth.Source,
            VideoPaused = QualityOf(peer).Paused,
            JitterMs = jitter,
            DtlsLingering = peer.Dtls.IsLingering,
            Bandwidth = peer.Bandwidth.HasEstimate ? TraceOf(peer.Bandwidth) : null,
        };
    }

    private static MediaBandwidthTrace TraceOf(SubscriberBandwidth b)
    {
        var e = b.Estimator;
        return new MediaBandwidthTrace(e.DelayBasedBps, e.LossBasedBps, e.LossFraction, e.ReceivedBps, e.Usage.ToString(), (long)b.WantedBps,
            e.DelayCuts, e.LossCuts, b.ProbeClusters, b.ProbesValidated, b.ProbesRefused, e.LastProbeRefusal, (long)b.ProbeTargetBps,
            b.ProbeCluster != 0 || b.Schedule.Settling);
    }
}
