namespace LiveClassroom.Server.Recording;

/// <summary>
/// A track's codec as negotiated with the publisher: the payload type it arrives with, the codec name as in
/// <c>a=rtpmap</c> (H264, VP8, opus), the clock rate, channels (audio) and the <c>a=fmtp</c> parameters.
/// </summary>
public sealed record RtpCodecInfo(int PayloadType, string Name, int ClockRate, int Channels = 0, string? Fmtp = null)
{
    public bool IsH264 => Name.Equals("H264", StringComparison.OrdinalIgnoreCase);

    public bool IsVp8 => Name.Equals("VP8", StringComparison.OrdinalIgnoreCase);

    public bool IsOpus => Name.Equals("opus", StringComparison.OrdinalIgnoreCase);

    public static RtpCodecInfo H264(int payloadType = 96, string fmtp = "packetization-mode=1") => new(payloadType, "H264", 90000, 0, fmtp);

    public static RtpCodecInfo Vp8(int payloadType = 96) => new(payloadType, "VP8", 90000);

    public static RtpCodecInfo Opus(int payloadType = 111) => new(payloadType, "opus", 48000, 2, "minptime=10;useinbandfec=1");
}
