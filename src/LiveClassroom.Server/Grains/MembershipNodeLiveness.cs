using LiveClassroom.Grains.Ports;
using Orleans.Runtime;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// <see cref="INodeLiveness"/> from Orleans' membership table (ADO.NET clustering on the project's PostgreSQL): a node
/// the cluster declared dead was last alive at its last "I am alive" write (every
/// <see cref="FailureDetection.IAmAliveTablePublishTimeout"/>), which a hung or killed node stops making.
/// </summary>
public sealed class MembershipNodeLiveness(IMembershipTable table) : INodeLiveness
{
    public async Task<DateTimeOffset?> LastAliveIfDeadAsync(string node, CancellationToken ct = default)
    {
        SiloAddress address;
        try
        {
            address = SiloAddress.FromParsableString(node);
        }
        catch (FormatException)
        {
            return null;
        }
        var data = await table.ReadRowAsync(address, ct);
        foreach (var (entry, _) in data.Members)
        {
            if (entry.SiloAddress.Equals(address) && entry.Status == SiloStatus.Dead)
            {
                return new DateTimeOffset(DateTime.SpecifyKind(entry.IAmAliveTime, DateTimeKind.Utc));
            }
        }
        return null;
    }
}
