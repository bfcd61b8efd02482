namespace LiveClassroom.Media.Rtcp;

// draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1.1 packet status symbols.
internal enum TransportCcStatus : byte
{
    NotReceived = 0,
    SmallDelta = 1,
    LargeDelta = 2,
}
