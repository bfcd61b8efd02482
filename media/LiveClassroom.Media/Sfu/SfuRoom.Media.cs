// RFC 3550 §5.1 / RFC 7667 §3.7 (switching SFU forwarding), RFC 8852 (rid), RFC 9143 §9.2 (mid demux), RFC 4588 §4 (RTX).
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Sdp;
using LiveClassroom.Media.Srtp;

namespace LiveClassroom.Media.Sfu;

internal sealed partial class SfuRoom
{
    /// <summary>Transport receive thread: one SRTP packet from a peer. Malformed or unknown packets are counted and dropped.</summary>
    public void OnRtp(SfuPeer peer, Span<byte> packet)
    {
        lock (_lock)
        {
            var held = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                ReceiveRtp(peer, packet);
            }
            finally
            {
                FlushFanOut();
                PacketLockHold.Record(System.Diagnostics.Stopwatch.GetTimestamp() - held);
            }
        }
    }

    /// <summary>
    /// Transport receive thread: a burst of one peer's SRTP packets, in arrival order, under one hold of the room lock.
    /// Each goes through everything <see cref="OnRtp"/> does; the fan-outs of consecutive packets of one large track are
    /// split over the lanes together (SfuRoom.FanOut.cs), which is the point. An exception (a bug) loses the rest of the
    /// burst, as it would lose its one packet.
    /// </summary>
    public void OnRtpBatch(SfuPeer peer, Transport.DatagramBatch batch, int start, int count)
    {
        lock (_lock)
        {
            var held = System.Diagnostics.Stopwatch.GetTimestamp();
            try
            {
                for (var i = start; i < start + count; i++)
                {
                    ReceiveRtp(peer, batch.Packet(i));
                }
            }
            finally
            {
                FlushFanOut();
                PacketLockHold.Record(System.Diagnostics.Stopwatch.GetTimestamp() - held);
            }
        }
    }

    private void ReceiveRtp(SfuPeer peer, Span<byte> packet)
    {
        var context = peer.ReceiveContext;
        if (context is null || peer.Gone)
        {
            peer.CountDrop();
            return;
        }
        if (context.UnprotectRtp(packet, out var length) != SrtpStatus.Ok)
        {
            SrtpFailures++;
            return;
        }
        peer.Dtls.PeerFinished();
        peer.BytesIn += packet.Length;
        var plain = packet[..length];
        if (RtpHeader.TryParse(plain, out var header) != RtpParseError.None)
        {
            MalformedPackets++;
            return;
        }
        if (!peer.StreamsBySsrc.TryGetValue(header.Ssrc, out var stream))
        {
            // Learning a stream retargets slots: the fan-outs it follows run first, as they would have one by one.
            FlushFanOut();
            stream = IdentifyOrSkip(peer, plain, header);
            if (stream is null)
            {
                return;
            }
        }
        var recovered = false;
        stream.LastPacketMillis = Environment.TickCount64;
        if (stream.Repairs is { } primary)
        {
            // RTX: padding-only probes carry nothing; real retransmissions become the original packet again.
            if (header.PayloadLength < 2 || !RtxPacket.TryUnwrap(plain, (byte)primary.Track.Codec.PayloadType, primary.Ssrc, out var unwrapped))
            {
                return;
            }
            plain = plain[..unwrapped];
            if (RtpHeader.TryParse(plain, out header) != RtpParseError.None)
            {
                MalformedPackets++;
                return;
            }
            stream = primary;
            recovered = true;
        }
        else if (header.PayloadLength == 0)
        {
            return;
        }
        if (!recovered)
        {
            // Millisecond clock in microseconds: the same clock the report blocks are built on (ticks / 10).
            // A recovered packet stays out, as in libwebrtc: it is old by nature, and two of them in a row more
            // than A.1's MAX_MISORDER behind would pass for a restart and send the reported highest sequence back.
            stream.Statistics.OnPacket(header.SequenceNumber, header.Timestamp, Environment.TickCount64 * 1000);
        }
        Forward(stream, plain, header, recovered);
        PacketThreadAllocatedBytes = GC.GetAllocatedBytesForCurrentThread();
    }

    /// <summary>Benchmarks: the allocation counter of the thread that last ran the RTP path (a few ns per packet to read).</summary>
    internal long PacketThreadAllocatedBytes { get; private set; }

    private void Forward(IncomingStream stream, ReadOnlySpan<byte> packet, in RtpHeader header, bool recovered)
    {
        var track = stream.Track;
        if (track.IsAudio && track.Publisher.AudioMuted)
        {
            return;
        }
        if (recovered && stream.History?.Query(header.SequenceNumber) == ReceivedHistory.PacketState.Received)
        {
            // RFC 4588 §4 / RFC 3711 §3.3.2: a repair of a packet the SFU already has — a publisher's bandwidth probe
            // (libwebrtc pads with RTX copies of packets it sent: "payload padding"), or a late second answer to a NACK.
            // Forwarded, it would reach each subscriber a second time with the same SSRC and sequence number, which its
            // SRTP replay check drops before its transport-cc bookkeeping sees it, so the transport-wide number it was
            // stamped with reads as lost (27–39 % "loss" at the top layer on a clean link). Subscribers that did lose
            // the packet NACK the SFU, which answers from its cache.
            DuplicateRepairs++;
            return;
        }
        stream.BytesSinceMeasure += packet.Length;
        stream.Cache?.Add(header.SequenceNumber, packet);
        if (stream.History?.OnPacket(header.SequenceNumber) is > 0 and var gap && !recovered)
        {
            RequestGap(stream, header.SequenceNumber, gap);
        }
        if (_relayFeeds.Count > 0)
        {
            RelayOut(stream, packet, recovered);
        }
        var isRed = track.RedPayloadType is { } redPt && header.PayloadType == redPt;
        var payload = packet.Slice(header.PayloadOffset, header.PayloadLength);
        var keyframeStart = track.IsAudio || KeyframeDetector.IsKeyframeStart(track.Codec.Name, payload);
        if (track.Taps.Count > 0)
        {
            Tap(stream, packet, header, isRed, keyframeStart, recovered);
        }
        if (track.Listeners.Count == 0)
        {
            return;
        }
        var now = Environment.TickCount64 * TimeSpan.TicksPerMillisecond;
        if (TryDeferFanOut(stream, header, payload, keyframeStart, recovered, now, isRed))
        {
            return;
        }
        // Forwarded here and now: whatever fan-out is still pending goes first, so every subscriber gets the packets in order.
        FlushFanOut();
        for (var i = 0; i < track.Listeners.Count; i++)
        {
            ForwardToSlot(track.Listeners[i], stream, header, payload, keyframeStart, recovered, now, isRed);
        }
    }

    private readonly byte[] _redScratch = new byte[PacketCache.MaxPacketSize];
    private readonly byte[] _tapScratch = new byte[PacketCache.MaxPacketSize];

    /// <summary>Recorder taps: plain Opus (the primary block of a RED packet); of video, one layer each (<see cref="TapLayerChoice"/>).</summary>
    private void Tap(IncomingStream stream, ReadOnlySpan<byte> packet, in RtpHeader header, bool isRed, bool keyframeStart, bool recovered)
    {
        var track = stream.Track;
        var tapped = isRed ? PrimaryOfRed(packet, header, track.Codec.PayloadType) : packet;
        if (tapped.IsEmpty || tapped.Length > _tapScratch.Length)
        {
            return;
        }
        var nowMillis = Environment.TickCount64;
        var rank = track.RankOf(stream);
        var isVp8 = track.Codec.Name == "VP8";
        for (var i = 0; i < track.Taps.Count; i++)
        {
            var tap = track.Taps[i];
            try
            {
                if (track.IsAudio)
                {
                    tap.Callback(tapped, track.Codec);
                    continue;
                }
                var copy = _tapScratch.AsSpan(0, tapped.Length);
                tapped.CopyTo(copy);
                var accepted = tap.Choice.Accept(stream.Ssrc, rank, copy, header.PayloadOffset, keyframeStart, recovered, isVp8, nowMillis, out var request);
                if (request != 0)
                {
                    RequestKeyframe(track.LayerBySsrc(request), force: true);
                }
                if (accepted)
                {
                    tap.Callback(copy, track.Codec);
                }
            }
#pragma warning disable CA1031 // A recorder's bug must not stop forwarding for everyone.
            catch (Exception)
#pragma warning restore CA1031
            {
                TapErrors++;
            }
        }
    }

    /// <summary>The RED packet as plain Opus (same header, Opus payload type, primary block only), or empty if malformed.</summary>
    private ReadOnlySpan<byte> PrimaryOfRed(ReadOnlySpan<byte> packet, in RtpHeader header, int opusPayloadType)
    {
        var payload = packet.Slice(header.PayloadOffset, header.PayloadLength);
        if (!Rtp.Codecs.RedPayload.TryGetPrimary(payload, out _, out var offset, out var length) || header.PayloadOffset + length > _redScratch.Length)
        {
            MalformedPackets++;
            return default;
        }
        packet[..header.PayloadOffset].CopyTo(_redScratch);
        payload.Slice(offset, length).CopyTo(_redScratch.AsSpan(header.PayloadOffset));
        _redScratch[0] &= 0xDF; // no padding in the copy
        RtpHeaderWriter.SetPayloadType(_redScratch, (byte)opusPayloadType);
        return _redScratch.AsSpan(0, header.PayloadOffset + length);
    }

    /// <param name="queue">Null: the packet is sent now. Else it is queued there for the caller's send (one subscriber's burst).</param>
    private void ForwardToSlot(SubscriberSlot slot, IncomingStream stream, in RtpHeader header, ReadOnlySpan<byte> payload, bool keyframeStart,
        bool recovered, long now, bool isRed, Transport.DatagramSendQueue? queue = null)
    {
        var subscriber = slot.Subscriber;
        if (!subscriber.IsConnected || slot.Paused)
        {
            return;
        }
        var wasPending = slot.Rewriter.IsSwitchPending;
        var restarts = slot.Rewriter.SourceRestarts;
        if (!slot.Rewriter.TryRewrite(stream.Ssrc, header.SequenceNumber, header.Timestamp, keyframeStart, now, out var seq, out var timestamp, recovered))
        {
            return;
        }
        if (slot.Rewriter.SourceRestarts != restarts)
        {
            // The source renumbered (a restarted encoder): its VP8 picture ids start over too, so they are re-based like a switch.
            slot.Vp8.Rebase();
        }
        if (wasPending && !slot.Rewriter.IsSwitchPending)
        {
            // Switched: the old track (another list than the one being iterated) stops feeding this slot.
            if (slot.Current is { } old && old.Track != stream.Track && old.Track != slot.Track)
            {
                // Lanes may finish switches away from one track at once (SfuRoom.FanOut.cs).
                lock (old.Track.Listeners)
                {
                    old.Track.Listeners.Remove(slot);
                }
            }
            slot.Current = stream;
            slot.Target = null;
            slot.Vp8.Rebase();
            slot.OutPayloadType = slot.Media.SendCodecFor(stream.Track.Codec.Name)?.PayloadType ?? -1;
        }
        if (slot.OutPayloadType < 0)
        {
            subscriber.CountDrop();
            return;
        }
        if (isRed)
        {
            // RFC 2198: whole to a subscriber that negotiated RED (its RED and Opus payload types), else its primary (newest) Opus block only.
            if (slot.Media.RedCodec is { } red)
            {
                // The block headers name the publisher's Opus payload type; a subscriber whose Opus has another one
                // would find no decoder for them (libwebrtc drops such a packet whole), so they get its own.
                var blocks = stream.Track.Codec.PayloadType != slot.OutPayloadType ? stream.Track.Codec.PayloadType : -1;
                if (blocks >= 0 && !Rtp.Codecs.RedPayload.TryGetPrimary(payload, out _, out _, out _))
                {
                    // RFC 2198 §3 headers that overrun the payload: no decoder could split it either.
                    subscriber.CountDrop();
                    return;
                }
                WriteAndSend(slot, header.Marker, seq, timestamp, payload, queue, red.PayloadType, blocks);
            }
            else if (Rtp.Codecs.RedPayload.TryGetPrimary(payload, out _, out var offset, out var length))
            {
                WriteAndSend(slot, header.Marker, seq, timestamp, payload.Slice(offset, length), queue);
            }
            return;
        }
        WriteAndSend(slot, header.Marker, seq, timestamp, payload, queue);
    }

    /// <param name="redBlocksFrom">For a RED payload forwarded whole: the block payload type to rewrite to the slot's own Opus one, or -1.</param>
    private void WriteAndSend(SubscriberSlot slot, bool marker, ushort seq, uint timestamp, ReadOnlySpan<byte> payload, Transport.DatagramSendQueue? queue,
        int payloadType = -1, int redBlocksFrom = -1)
    {
        var pt = (byte)(payloadType >= 0 ? payloadType : slot.OutPayloadType);
        // A fresh header: the publisher's extensions (its mid, rid, ids) mean nothing to the subscriber, who demuxes by
        // SSRC. What a slot that negotiated transport-cc carries — video and audio — has the transport-wide sequence number
        // (RFC 8285 one-byte element), so the subscriber's feedback, and the estimate, cover everything on its link.
        var buffer = queue is null ? Scratch.AsSpan() : queue.Next;
        var bandwidth = slot.Subscriber.Bandwidth;
        var headerLength = WriteSubscriberHeader(slot, buffer, pt, marker, seq, timestamp, slot.Rewriter.OutSsrc, out var stamp);
        payload.CopyTo(buffer[headerLength..]);
        var length = headerLength + payload.Length;
        if (slot.Current?.Track.Codec.Name == "VP8")
        {
            slot.Vp8.Rewrite(buffer[headerLength..length]);
        }
        else if (redBlocksFrom >= 0)
        {
            // Checked by the caller before the header took a transport-wide number.
            Rtp.Codecs.RedPayload.TryRewriteBlockPayloadTypes(buffer[headerLength..length], (byte)redBlocksFrom, (byte)slot.OutPayloadType);
        }
        if (queue is null ? slot.Subscriber.SendRtp(buffer, length) : slot.Subscriber.QueueRtp(queue, length))
        {
            slot.PacketsSent++;
            slot.OctetsSent += (uint)payload.Length;
            slot.PacketsForwarded++;
            SfuMetrics.Forwarded(payload.Length);
            if (stamp)
            {
                bandwidth.OnSent(SubscriberBandwidth.NowMicroseconds(), length + WireOverhead);
                if (bandwidth.ProbeCluster != 0)
                {
                    // Padding goes out now: what is queued goes first, so the transport-wide numbers leave in order.
                    if (queue is not null)
                    {
                        slot.Subscriber.SendQueued(queue);
                    }
                    SendProbePadding(slot, bandwidth, slot.Subscriber);
                }
            }
        }
    }

    /// <summary>SRTP tag plus IPv4 and UDP headers: what a packet costs on the wire beyond its RTP bytes.</summary>
    private const int WireOverhead = 16 + 28;

    /// <summary>The header of a packet to <paramref name="slot"/>'s subscriber: with the transport-wide number when the slot negotiated it.</summary>
    private static int WriteSubscriberHeader(SubscriberSlot slot, Span<byte> buffer, byte payloadType, bool marker, ushort seq, uint timestamp, uint ssrc,
        out bool stamped)
    {
        var bandwidth = slot.Subscriber.Bandwidth;
        stamped = bandwidth.TransportCcId != 0 && slot.Media.TransportCcExtensionId is not null;
        return stamped
            ? WriteStampedHeader(buffer, payloadType, marker, seq, timestamp, ssrc, bandwidth)
            : RtpHeaderWriter.WriteFixed(buffer, payloadType, marker, seq, timestamp, ssrc);
    }

    private static int WriteStampedHeader(Span<byte> buffer, byte payloadType, bool marker, ushort seq, uint timestamp, uint ssrc, SubscriberBandwidth bandwidth)
    {
        Span<byte> extension = stackalloc byte[4];
        var transportSeq = (ushort)bandwidth.NextSequence;
        extension[0] = (byte)((bandwidth.TransportCcId << 4) | 1);
        extension[1] = (byte)(transportSeq >> 8);
        extension[2] = (byte)transportSeq;
        extension[3] = 0;
        return RtpHeaderWriter.Write(buffer, payloadType, marker, seq, timestamp, ssrc, [], RtpExtensionEnumerator.OneByteProfile, extension);
    }
}
