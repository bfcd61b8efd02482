namespace LiveClassroom.Grains.Ports;

/// <summary>
/// Hub node's end of media take-overs crossing nodes (implemented by the server; docs/HUB.md, <c>MediaTakenOver</c>): a
/// second tab or device of the same account negotiated media in a room through another node, and the connection that
/// held the peer, here, must stop instead of fighting back. Null in <c>GrainServices</c>: take-overs are told on their
/// own node only.
/// </summary>
public interface IMediaTakeovers
{
    /// <summary>
    /// <paramref name="connectionId"/>, on this node, held <paramref name="principalId"/>'s media peer in the room and
    /// another connection took it over: it is told, if it is still in the room, and no longer gets the peer's notices.
    /// </summary>
    Task TellTakenOverAsync(MediaRoomKind kind, string roomId, string principalId, string connectionId);
}
