namespace LiveClassroom.Media.Transport;

/// <summary>Sends one datagram. Thread-safe; returns false (counted) instead of throwing when the send fails.</summary>
internal interface IPacketSender
{
    bool Send(ReadOnlySpan<byte> packet, RemoteAddress remote);

    /// <summary>
    /// Sends every datagram of the queue to <paramref name="remote"/>, in order, and empties it; the number sent. A
    /// transport may send them in one system call (UdpTransport: sendmmsg); this default sends one at a time.
    /// </summary>
    int SendMany(DatagramSendQueue queue, RemoteAddress remote) => SendManyOneByOne(queue, remote);

    /// <summary>The default <see cref="SendMany"/>: one <see cref="Send"/> per datagram.</summary>
    int SendManyOneByOne(DatagramSendQueue queue, RemoteAddress remote)
    {
        var sent = 0;
        for (var i = 0; i < queue.Count; i++)
        {
            if (Send(queue.Packet(i), remote))
            {
                sent++;
            }
        }
        queue.Clear();
        return sent;
    }
}
