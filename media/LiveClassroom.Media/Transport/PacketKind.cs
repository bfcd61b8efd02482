namespace LiveClassroom.Media.Transport;

internal enum PacketKind
{
    Unknown = 0,
    Stun,
    Dtls,
    Rtp,
    Rtcp,
    Zrtp,
    TurnChannel,
}
