namespace LiveClassroom.Grains.Cascade;

/// <summary>A node's media load as its <see cref="IMediaNodeGrain"/> reports it.</summary>
[GenerateSerializer, Immutable, Alias("lc.MediaNodeLoad")]
public sealed record MediaNodeLoad(
    [property: Id(0)] string NodeId,
    [property: Id(1)] int Subscribers,
    [property: Id(2)] int CapacitySubscribers,
    [property: Id(3)] string RelayEndPoint);
