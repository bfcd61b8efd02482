namespace LiveClassroom.Media.Transport;

/// <summary>Sends one datagram. Thread-safe; returns false (counted) instead of throwing when the send fails.</summary>
internal interface IPacketSender
{
    bool Send(ReadOnlySpan<byte> packet, RemoteAddress remote);
}
