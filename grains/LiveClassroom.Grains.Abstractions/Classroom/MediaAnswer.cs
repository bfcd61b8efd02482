namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// The SFU's SDP answer and the peer id the participant has in the media room. <paramref name="MediaNode"/>: the node
/// (silo address) whose SFU holds the peer, so the hub's node can claim the peer's media quality notices there; null
/// where notices are not carried between nodes (research sessions). <paramref name="PreviousHolder"/>: the connection
/// that negotiated this peer before, when it was another one (<see cref="MediaOffer.Holder"/>): it has been taken over
/// and must be told, on its node (docs/HUB.md, <c>MediaTakenOver</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.MediaAnswer")]
public sealed record MediaAnswer(string SdpAnswer, string PeerId, string? MediaNode = null, MediaHolder? PreviousHolder = null);
