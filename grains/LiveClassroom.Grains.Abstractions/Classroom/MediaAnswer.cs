namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// The SFU's SDP answer and the peer id the participant has in the media room. <paramref name="MediaNode"/>: the node
/// (silo address) whose SFU holds the peer, so the hub's node can claim the peer's media quality notices there; null
/// where notices are not carried between nodes (research sessions). <paramref name="PreviousHolder"/>: the connection
/// that negotiated this peer before, when it was another one (<see cref="MediaOffer.Holder"/>): it has been taken over
/// and must be told, on its node (docs/HUB.md, <c>MediaTakenOver</c>). <paramref name="HolderSequence"/>: where this
/// negotiation stands among all the room grain answered (rising, across reactivations too; 0: not given): the hub's node
/// claims the peer's quality notices with it, and the media node keeps the claim of the latest negotiation whatever
/// order claims from two hub nodes land in (docs/CASCADE.md, "Media quality notices"). <paramref name="EventSequence"/>: the
/// room's event sequence when the grain began placing this negotiation: every event numbered at or below it was known
/// when its media node was chosen, so a <c>MediaNodeLost</c> numbered so does not concern this answer's peer (the page
/// ignores it instead of offering a second time; docs/HUB.md, <c>Negotiate</c>). One emitted after is numbered above it.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.MediaAnswer")]
public sealed record MediaAnswer(string SdpAnswer, string PeerId, string? MediaNode = null, MediaHolder? PreviousHolder = null,
    long HolderSequence = 0, long EventSequence = 0);
