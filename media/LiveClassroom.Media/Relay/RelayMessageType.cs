namespace LiveClassroom.Media.Relay;

/// <summary>What a relay datagram carries (its 4th byte, in the clear but authenticated).</summary>
internal enum RelayMessageType : byte
{
    /// <summary>Origin → edge: [track index][layer index, 0xFF = no rid][flags: 1 = retransmission] + plain RTP.</summary>
    Rtp = 1,

    /// <summary>Origin → edge, twice a second: the fed tracks (<see cref="RelayTrackTable"/>); also the origin's heartbeat.</summary>
    Tracks = 2,

    /// <summary>Edge → origin: plain RTCP from the edge's stand-in publishers (NACK, PLI).</summary>
    Rtcp = 3,

    /// <summary>Edge → origin, twice a second: the edge is alive.</summary>
    Heartbeat = 4,
}
