namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// The hub connection that negotiated a participant's media peer in a room, and the node (silo address,
/// <c>SiloAddress.ToParsableString</c>) it is connected to. A room grain keeps the last one per peer, in the order it
/// negotiated them, so a connection that takes the peer over learns which one held it, on whichever node that is.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.MediaHolder")]
public sealed record MediaHolder(string NodeId, string ConnectionId);
