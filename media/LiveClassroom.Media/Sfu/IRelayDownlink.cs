using System.Net;

namespace LiveClassroom.Media.Sfu;

/// <summary>An origin room's feed to an edge node: every packet of the fed publishers' primary streams, as received.</summary>
internal interface IRelayDownlink
{
    /// <summary>The node fed (its relay endpoint): a stand-in relayed in from there is never fed back to it.</summary>
    IPEndPoint RemoteEndPoint { get; }

    /// <summary>Plain RTP after RTX unwrapping; called under the room lock on the packet thread, must not block or allocate.</summary>
    void OnRtp(IncomingStream stream, ReadOnlySpan<byte> packet, bool recovered);
}
