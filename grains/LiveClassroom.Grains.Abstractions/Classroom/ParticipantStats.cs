namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Latest connection quality of one participant (as reported by the client or the SFU). The last four are what the
/// client's browser decodes on its main video (0 when not reported): jitter in ms, frame size and frame rate.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ParticipantStats")]
public sealed record ParticipantStats(
    string PrincipalId,
    double RoundTripTimeMs,
    double PacketLoss,
    long InboundBitrateBps,
    long OutboundBitrateBps,
    string Quality,
    double JitterMs = 0,
    int FrameWidth = 0,
    int FrameHeight = 0,
    double FramesPerSecond = 0);
