namespace LiveClassroom.Media;

/// <summary>
/// One relay link as this node sees it. <paramref name="SilenceMillis"/>: time since the other node was last heard (an
/// origin hears its edge's heartbeat and feedback, an edge the origin's media and track tables, each at least 4 times a second).
/// </summary>
public sealed record MediaRelayLinkStats(uint LinkId, string RoomId, bool IsOrigin, long PacketsSent, long BytesSent, long PacketsReceived,
    long Retransmissions, long SilenceMillis, long AuthenticationFailures, long ReplaysRejected)
{
    /// <summary>Silent past RelaySocket.SilenceLimit and not heard since: an edge's stand-ins left, a feed sends no media.</summary>
    public bool Suspended { get; init; }

    /// <summary>Times the link was suspended and (unless <see cref="Suspended"/>) went on when the other node was heard again.</summary>
    public long Suspensions { get; init; }
}
