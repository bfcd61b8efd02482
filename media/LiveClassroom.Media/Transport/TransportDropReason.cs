namespace LiveClassroom.Media.Transport;

internal enum TransportDropReason
{
    TooShort = 0,
    UnknownFirstByte,
    UnsupportedProtocol,
    MalformedStun,
    StunWithoutUsername,
    UnknownUfrag,
    UnknownAddress,
    ReceiveError,
    SinkError,
    TcpFrameTooLarge,
    TcpConnectionRefused,

    /// <summary>The transport's own demux threw (a bug): the packet is dropped, the loop goes on.</summary>
    InternalError,
}
