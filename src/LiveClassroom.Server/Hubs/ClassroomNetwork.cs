namespace LiveClassroom.Server.Hubs;

/// <summary>
/// One classroom (lead or rural) in a <see cref="NetworkFrame"/>, measured on the link of the participant speaking for it
/// (a connected device first, then a connected person). Down = what the classroom receives from the SFU, up = what it
/// sends; <see cref="Layer"/> is the simulcast layer (rid, or <c>single</c>) of the video it receives; frame size and rate
/// are what its browser decodes (reported through <c>ReportConnectionStats</c>). A figure nobody measured is null.
/// <see cref="Source"/>: <c>sfu</c>, <c>browser</c> (no SFU figures: its own report) or <c>none</c>; <see cref="MediaState"/>:
/// the SFU's state of its media peer (<c>connecting</c>, <c>connected</c>, <c>failed</c>, <c>gone</c>), null without one.
/// </summary>
public sealed record ClassroomNetwork(
    string ClassroomId,
    string Name,
    bool IsLead,
    string Connection,
    int? StageSeat,
    string Quality,
    bool Degraded,
    string Source,
    string? MediaState,
    double? RoundTripTimeMs,
    double? DownLoss,
    double? UpLoss,
    double? JitterMs,
    long? DownBitrateBps,
    long? UpBitrateBps,
    long? EstimatedBitrateBps,
    string? Layer,
    bool VideoPaused,
    int? FrameWidth,
    int? FrameHeight,
    double? FramesPerSecond,
    int Reconnects);
