using Orleans.Runtime;

namespace LiveClassroom.Grains.Cascade;

/// <summary>Places a grain on the silo its string key names (<c>SiloAddress.ToParsableString</c>), and nowhere else.</summary>
[GenerateSerializer, Immutable]
public sealed class NodePinnedPlacement : PlacementStrategy
{
    public static readonly NodePinnedPlacement Instance = new();
}
