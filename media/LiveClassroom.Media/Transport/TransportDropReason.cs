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
}
