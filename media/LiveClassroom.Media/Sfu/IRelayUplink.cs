namespace LiveClassroom.Media.Sfu;

/// <summary>An edge room's way back to the origin node: RTCP its stand-in publisher sends (NACK, PLI) goes up the relay.</summary>
internal interface IRelayUplink
{
    /// <summary>Plain RTCP (the relay encrypts it); called under the room lock, must not block.</summary>
    bool SendRtcp(ReadOnlySpan<byte> rtcp);
}
