using Orleans.Placement;

namespace LiveClassroom.Grains.Cascade;

/// <summary>Marks a grain class as <see cref="NodePinnedPlacement"/>.</summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public sealed class NodePinnedPlacementAttribute : PlacementAttribute
{
    public NodePinnedPlacementAttribute()
        : base(NodePinnedPlacement.Instance)
    {
    }
}
