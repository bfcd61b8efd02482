using System.Net;
using LiveClassroom.Grains;
using LiveClassroom.LoadTests.Cluster;
using Npgsql;
using Orleans.Runtime;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// Which node holds the class grain's entry in Orleans' grain directory. The server uses Orleans'
/// DistributedGrainDirectory (src/LiveClassroom.Server/Grains/GrainDirectoryChoice.cs) with one partition per silo: a
/// ring over the active silos' consistent hashes, the silo with boundary b owning the grain hashes in (b, next boundary]
/// (compared unsigned; below the first boundary, the last silo's range wraps around). Before, with Orleans' default
/// LocalGrainDirectory (the silo with the largest hash not above the grain's, compared signed), that silo's death made
/// every silo deactivate the activations whose entries it held ("LocalGrainDirectory is deactivating … activations
/// because silo … was the primary directory partition for these grain ids"): the class grain, alive on the origin,
/// activated afresh and every page rejoined. Both rules are computed here from the cluster's membership rows in
/// PostgreSQL with Orleans' own <see cref="SiloAddress"/> and <see cref="GrainId"/> hashes; they restate Orleans 10.4.2's
/// internal DirectoryMembershipSnapshot and LocalGrainDirectory.CalculateGrainDirectoryPartition (a newer Orleans may
/// change them: the run prints whether the kill dropped the class, which tells).
/// </summary>
internal static class ClassGrainDirectory
{
    // Orleans.Runtime.SiloStatus.Active.
    private const int ActiveStatus = 3;

    /// <summary>The entry's node under the distributed directory, and under the default one the server used before.</summary>
    public static async Task<(BenchNode? Owner, BenchNode? OwnerBefore)> OwnerAsync(string connectionString, string clusterId, string classId, IReadOnlyList<BenchNode> nodes)
    {
        var ring = new List<(int Hash, int Port)>();
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand(
                "SELECT address, port, generation FROM orleansmembershiptable WHERE deploymentid = @cluster AND status = @active", connection);
            command.Parameters.AddWithValue("cluster", clusterId);
            command.Parameters.AddWithValue("active", ActiveStatus);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                var silo = SiloAddress.New(IPAddress.Parse(reader.GetString(0)), reader.GetInt32(1), reader.GetInt32(2));
                ring.Add((silo.GetConsistentHashCode(), reader.GetInt32(1)));
            }
        }
        if (ring.Count == 0)
        {
            return (null, null);
        }
        var hash = GrainId.Create(GrainKinds.Classroom, classId).GetUniformHashCode();
        var byUnsigned = ring.OrderBy(r => (uint)r.Hash).ToList();
        var distributed = byUnsigned.LastOrDefault(r => (uint)r.Hash < hash, byUnsigned[^1]);
        var bySigned = ring.OrderBy(r => r.Hash).ToList();
        var local = bySigned.LastOrDefault(r => r.Hash <= unchecked((int)hash), bySigned[^1]);
        return (nodes.FirstOrDefault(n => n.SiloPort == distributed.Port), nodes.FirstOrDefault(n => n.SiloPort == local.Port));
    }
}
