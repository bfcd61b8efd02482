namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Payload of MediaNodeLost: the media node these participants' peers were on went silent (an edge of a class spread
/// over nodes, docs/CASCADE.md). Their pages start a fresh peer connection at once; the class places it on a live node.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.MediaNodeLost")]
public sealed record MediaNodeLost(IReadOnlyList<string> PrincipalIds);
