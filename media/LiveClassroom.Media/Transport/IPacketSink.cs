namespace LiveClassroom.Media.Transport;

/// <summary>
/// Receives one peer's packets from the transport, already demultiplexed (RFC 7983). Calls come one packet at a
/// time, never concurrently: on a UDP worker's receive thread, or (ICE-TCP frames) on a pool thread, always holding
/// the lock of the sink object itself (the transport takes it; implementations must not lock on themselves elsewhere).
/// The span is valid only during the call (copy it, e.g. into a pooled buffer, to keep it) and may be modified in place (SRTP unprotect). Implementations must not block and should not throw; an exception is caught,
/// counted as <see cref="TransportDropReason.SinkError"/> and dropped.
/// </summary>
internal interface IPacketSink
{
    void OnStun(Span<byte> packet, RemoteAddress remote);

    void OnDtls(Span<byte> packet, RemoteAddress remote);

    void OnRtp(Span<byte> packet, RemoteAddress remote);

    void OnRtcp(Span<byte> packet, RemoteAddress remote);

    /// <summary>
    /// RTP datagrams <paramref name="start"/>…+<paramref name="count"/> of a receive batch, all from one address, in
    /// arrival order (UdpTransport.Batch.cs); the packets may be modified in place and are valid only during the call.
    /// Unless a sink does better, one <see cref="OnRtp"/> each.
    /// </summary>
    void OnRtpBatch(DatagramBatch batch, int start, int count, RemoteAddress remote)
    {
        for (var i = start; i < start + count; i++)
        {
            OnRtp(batch.Packet(i), remote);
        }
    }
}
