using Orleans.Runtime;
using Orleans.Runtime.Placement;

namespace LiveClassroom.Grains.Cascade;

/// <summary>
/// <see cref="NodePinnedPlacement"/>: the silo named by the key if it is among the compatible (live) silos; otherwise the
/// activation fails, so a call to a node that is gone fails rather than running that node's part somewhere else.
/// </summary>
public sealed class NodePinnedPlacementDirector : IPlacementDirector
{
    public Task<SiloAddress> OnAddActivation(PlacementStrategy strategy, PlacementTarget target, IPlacementContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var key = target.GrainIdentity.Key.ToString();
        var wanted = SiloAddress.FromParsableString(key);
        foreach (var silo in context.GetCompatibleSilos(target))
        {
            if (silo.Equals(wanted))
            {
                return Task.FromResult(silo);
            }
        }
        throw new OrleansException($"media node {key} is not in the cluster");
    }
}
