using System.Net;

namespace LiveClassroom.Media.Sfu;

/// <summary>A receiving room's way back to the feeding node: RTCP its stand-in publisher sends (NACK, PLI) goes up the relay.</summary>
internal interface IRelayUplink
{
    /// <summary>The node the stand-in's publisher is on (its relay endpoint).</summary>
    IPEndPoint RemoteEndPoint { get; }

    /// <summary>
    /// When the link was opened, in this node's order of links (larger = newer). Of two links relaying the same
    /// publisher into a room, the newer one's stand-in is the publisher (the older one's origin died or was replaced).
    /// </summary>
    long OpenedOrder { get; }

    /// <summary>Plain RTCP (the relay encrypts it); called under the room lock, must not block.</summary>
    bool SendRtcp(ReadOnlySpan<byte> rtcp);
}
