namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §12.1, RFC 4585 §6.1 (RTPFB/PSFB), RFC 3611 (XR).
internal static class RtcpPacketType
{
    public const byte SenderReport = 200;
    public const byte ReceiverReport = 201;
    public const byte SourceDescription = 202;
    public const byte Goodbye = 203;
    public const byte Application = 204;
    public const byte TransportFeedback = 205;
    public const byte PayloadFeedback = 206;
    public const byte ExtendedReport = 207;

    // Feedback message types (FMT).
    public const byte FmtNack = 1;
    public const byte FmtTransportCc = 15;
    public const byte FmtPli = 1;
    public const byte FmtFir = 4;
    public const byte FmtApplicationLayer = 15;
}
