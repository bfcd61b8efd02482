// RFC 8829 §3.5 (one peer = one BUNDLE transport): ICE-lite (RFC 8445 §2.5) → DTLS-SRTP (RFC 5764) → SRTP media.
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Ice;
using LiveClassroom.Media.Sdp;
using LiveClassroom.Media.Srtp;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Sfu;

/// <summary>
/// New → Connecting (first valid ICE check, DTLS running) → Connected (SRTP keys) → Gone.
/// Receives its packets from the shared transport (receive thread) and hands media to its room; sends under the room lock.
/// </summary>
internal sealed class SfuPeer : IPacketSink, IDisposable
{
    private readonly SfuRoom _room;
    private readonly IMediaTransport _transport;
    private RemoteAddress? _dtlsRemote;
    private long _dropped;

    public SfuPeer(SfuRoom room, string id, IMediaTransport transport, DtlsCertificate certificate, string remoteFingerprint,
        string remoteUfrag, SrtpProtectionProfileId[] profiles, TimeSpan consentTimeout)
    {
        _room = room;
        Id = id;
        CnameBytes = System.Text.Encoding.UTF8.GetBytes("sfu-" + id);
        _transport = transport;
        RemoteFingerprint = remoteFingerprint;
        Ice = new IceLiteAgent(transport, this, TimeProvider.System, consentTimeout: consentTimeout);
        Ice.SetRemoteUfrag(remoteUfrag);
        RemoteUfrag = remoteUfrag;
        Dtls = new DtlsSession(certificate, remoteFingerprint, profiles, SendDtls);
        RtcpSsrc = (uint)Random.Shared.Next(1, int.MaxValue);
        SessionId = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
    }

    public string Id { get; }

    /// <summary>Held while a fan-out lane forwards to this peer (SfuRoom.FanOut.cs); never taken with the room lock inside it.</summary>
    public Lock SendLock { get; } = new();

    /// <summary>The CNAME announced for every slot sent to this peer (a=ssrc … cname: and RTCP SDES).</summary>
    public byte[] CnameBytes { get; }

    public IceLiteAgent Ice { get; }

    public DtlsSession Dtls { get; }

    public string RemoteFingerprint { get; }

    public string RemoteUfrag { get; set; }

    public SrtpContext? ReceiveContext { get; private set; }

    public SrtpContext? SendContext { get; private set; }

    public bool IsConnected => Uplink is not null || (SendContext is not null && Ice.SelectedAddress is not null);

    /// <summary>Set for an edge room's stand-in for a publisher on another node: its RTCP (NACK, PLI) goes up the relay.</summary>
    public IRelayUplink? Uplink { get; init; }

    public bool Gone { get; set; }

    public uint RtcpSsrc { get; }

    public ulong SessionId { get; }

    public ulong SessionVersion { get; set; }

    public bool AudioMuted { get; set; }

    public bool ByeReceived { get; set; }

    public List<NegotiatedMedia> Media { get; set; } = [];

    public Dictionary<string, PublishedTrack> Tracks { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, SubscriberSlot> Slots { get; } = new(StringComparer.Ordinal);

    public Dictionary<uint, IncomingStream> StreamsBySsrc { get; } = [];

    public Dictionary<uint, SubscriberSlot> SlotsBySsrc { get; } = [];

    /// <summary>SSRC → when to try identifying it again (Environment.TickCount64), and whether a stream limit refused it.</summary>
    public Dictionary<uint, (long RetryAt, bool OverLimit)> UnidentifiedSsrcs { get; } = [];

    /// <summary>Packets dropped because their SSRC would exceed a stream limit (per track or per peer).</summary>
    public long StreamLimitDrops { get; set; }

    /// <summary>Bytes per second this subscriber may receive as retransmissions (fixed, or a share of its estimate).</summary>
    public TokenBucket RetransmissionBudget { get; } = new(0, 0);

    /// <summary>Its downlink as the SFU estimates it (set when the room adds the peer).</summary>
    public SubscriberBandwidth Bandwidth { get; set; } = null!;

    public long BytesIn { get; set; }

    /// <summary>When the last SRTCP packet from this peer was accepted (ticks, 0 before the first): see SfuRoom.OnPeerHeardAgain.</summary>
    public long LastRtcpTicks { get; set; }

    /// <summary>SRTCP packets accepted from this peer.</summary>
    public long RtcpPacketsIn { get; set; }

    /// <summary>Times this peer was heard again after a silence of <see cref="MediaServerOptions.OutageSilence"/> or more (an outage of its link).</summary>
    public int OutagesEnded { get; set; }

    public long BytesOut { get; set; }

    public long InboundBitrateBps { get; set; }

    public long OutboundBitrateBps { get; set; }

    public long StatsBytesIn { get; set; }

    public long StatsBytesOut { get; set; }

    public long LastReportTicks { get; set; }

    public long Dropped => Interlocked.Read(ref _dropped);

    public void CountDrop()
    {
        Interlocked.Increment(ref _dropped);
        SfuMetrics.DroppedByPeer();
    }

    /// <summary>Runs on the DTLS thread once keys are known; the room installs them under its lock.</summary>
    public void InstallKeys(DtlsSrtpKeyingMaterial keys)
    {
        var material = SrtpKeyingMaterial.Split((SrtpProfile)(int)keys.Profile, keys.Material);
        ReceiveContext = material.CreateReceiveContext(isDtlsServer: true);
        SendContext = material.CreateSendContext(isDtlsServer: true);
    }

    public void OnStun(Span<byte> packet, RemoteAddress remote) => Ice.HandleStun(packet, remote);

    public void OnDtls(Span<byte> packet, RemoteAddress remote)
    {
        // RFC 8445 §2.5 / notes: Chrome's ClientHello may precede nomination; one validated check is enough.
        if (!Ice.IsValidatedAddress(remote))
        {
            CountDrop();
            return;
        }
        _dtlsRemote = remote;
        Dtls.Deliver(packet);
    }

    public void OnRtp(Span<byte> packet, RemoteAddress remote) => _room.OnRtp(this, packet);

    public void OnRtpBatch(DatagramBatch batch, int start, int count, RemoteAddress remote) => _room.OnRtpBatch(this, batch, start, count);

    public void OnRtcp(Span<byte> packet, RemoteAddress remote) => _room.OnRtcp(this, packet);

    private void SendDtls(byte[] buffer, int offset, int length)
    {
        var to = _dtlsRemote ?? Ice.SelectedAddress;
        if (to is not null)
        {
            _transport.Send(buffer.AsSpan(offset, length), to);
        }
    }

    /// <summary>Protects in place (the buffer needs the SRTP overhead spare) and sends. Call under the room lock.</summary>
    public bool SendRtp(Span<byte> buffer, int length)
    {
        var context = SendContext;
        var to = Ice.SelectedAddress;
        if (context is null || to is null || context.ProtectRtp(buffer, length, out var protectedLength) != SrtpStatus.Ok)
        {
            return false;
        }
        BytesOut += protectedLength;
        return _transport.Send(buffer[..protectedLength], to);
    }

    /// <summary>
    /// Protects in place the packet written into the queue's <see cref="DatagramSendQueue.Next"/> buffer and queues it for
    /// <see cref="SendQueued"/>; false (nothing queued) without keys or a selected address. Call under the room lock, or
    /// the send lock while the room's holder waits for a split fan-out, as <see cref="SendRtp"/>.
    /// </summary>
    public bool QueueRtp(DatagramSendQueue queue, int length)
    {
        var context = SendContext;
        if (context is null || Ice.SelectedAddress is null || context.ProtectRtp(queue.Next, length, out var protectedLength) != SrtpStatus.Ok)
        {
            return false;
        }
        BytesOut += protectedLength;
        queue.Commit(protectedLength);
        return true;
    }

    /// <summary>Sends what <see cref="QueueRtp"/> queued, in order, in one go where the transport can; empties the queue.</summary>
    public void SendQueued(DatagramSendQueue queue)
    {
        if (queue.Count == 0)
        {
            return;
        }
        if (Ice.SelectedAddress is { } to)
        {
            _transport.SendMany(queue, to);
        }
        queue.Clear();
    }

    /// <summary>Protects in place (the buffer needs the SRTCP overhead spare) and sends. Call under the room lock.</summary>
    public bool SendRtcp(Span<byte> buffer, int length)
    {
        if (Uplink is { } uplink)
        {
            return uplink.SendRtcp(buffer[..length]);
        }
        var context = SendContext;
        var to = Ice.SelectedAddress;
        if (context is null || to is null || context.ProtectRtcp(buffer, length, out var protectedLength) != SrtpStatus.Ok)
        {
            return false;
        }
        BytesOut += protectedLength;
        return _transport.Send(buffer[..protectedLength], to);
    }

    public void Dispose()
    {
        _transport.RemoveSink(this);
        Ice.Dispose();
        Dtls.Dispose();
        ReceiveContext?.Dispose();
        SendContext?.Dispose();
    }
}
