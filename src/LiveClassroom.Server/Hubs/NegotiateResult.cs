namespace LiveClassroom.Server.Hubs;

/// <summary>
/// The <c>Negotiate</c> result: the SFU's answer, the caller's peer id in the media room and the room's event sequence
/// as of the answer (<c>MediaAnswer.EventSequence</c>): a <c>MediaNodeLost</c> numbered at or below it was already
/// handled when this answer was made, and the page keeps its peer (docs/HUB.md).
/// </summary>
public sealed record NegotiateResult(string SdpAnswer, string PeerId, long EventSequence);
