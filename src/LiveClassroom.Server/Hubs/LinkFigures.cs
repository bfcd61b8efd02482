using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// <c>GetLinks</c>: one participant's link as the SFU sees it. Down = what the SFU sends the participant (its bitrate,
/// the loss its receiver reports); up = what the participant sends; <c>IncomingStreams</c> counts the RTP streams
/// the SFU has learnt from it (simulcast layers, retransmission streams, audio).
/// </summary>
public sealed record LinkFigures(
    string PrincipalId,
    RoomRole Role,
    string? ClassroomId,
    string State,
    double RoundTripTimeMs,
    long DownBitrateBps,
    double DownLoss,
    long UpBitrateBps,
    double UpLoss,
    string? ReceivedLayer,
    int IncomingStreams)
{
    public static LinkFigures From(ParticipantLink l)
    {
        ArgumentNullException.ThrowIfNull(l);
        var m = l.Media;
        return new LinkFigures(l.PrincipalId, l.Role, l.ClassroomId, m.State, Math.Round(m.RoundTripTimeMs, 1),
            m.OutboundBitrateBps, m.OutboundLossFraction, m.InboundBitrateBps, m.InboundLossFraction, m.ReceivedLayer, m.IncomingStreams);
    }
}
