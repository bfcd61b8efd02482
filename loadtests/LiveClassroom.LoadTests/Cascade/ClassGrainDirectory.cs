using System.Net;
using LiveClassroom.Grains;
using LiveClassroom.LoadTests.Cluster;
using Npgsql;
using Orleans.Runtime;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// Which node holds the class grain's entry in Orleans' grain directory. The cluster uses Orleans' default directory
/// (LocalGrainDirectory, a hash ring over the live silos): the entry of a grain lives on the silo whose consistent hash
/// is the largest not above the grain id's uniform hash (or, below all of them, the last on the ring). When that silo
/// dies, every silo deactivates its activations whose entry was there ("LocalGrainDirectory is deactivating …
/// activations because silo … was the primary directory partition for these grain ids", Orleans.Runtime 10.4.2): the
/// class grain, alive on the origin, is deactivated and activates afresh, though its own node never went away.
/// The ring is computed here from the cluster's membership rows in PostgreSQL (address, port, generation of each
/// active silo) with Orleans' own <see cref="SiloAddress"/> and <see cref="GrainId"/> hashes; the rule is Orleans'
/// internal LocalGrainDirectory.CalculateGrainDirectoryPartition, restated (a newer Orleans may change it: the run
/// prints whether the kill dropped the class, which tells).
/// </summary>
internal static class ClassGrainDirectory
{
    // Orleans.Runtime.SiloStatus.Active.
    private const int ActiveStatus = 3;

    public static async Task<BenchNode?> OwnerAsync(string connectionString, string clusterId, string classId, IReadOnlyList<BenchNode> nodes)
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
            return null;
        }
        ring.Sort((a, b) => a.Hash.CompareTo(b.Hash));
        var hash = unchecked((int)GrainId.Create(GrainKinds.Classroom, classId).GetUniformHashCode());
        var owner = ring[^1];
        for (var i = ring.Count - 1; i >= 0; i--)
        {
            if (ring[i].Hash <= hash)
            {
                owner = ring[i];
                break;
            }
        }
        return nodes.FirstOrDefault(n => n.SiloPort == owner.Port);
    }
}
