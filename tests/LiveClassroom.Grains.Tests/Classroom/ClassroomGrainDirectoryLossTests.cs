using LiveClassroom.Grains.Classroom;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>
/// Issue #17: a silo dies on a three-silo cluster whose silos use the server's grain directory
/// (<c>GrainDirectoryChoice</c>). The silo holding a live class's directory entry, not the class's own: the class keeps
/// its activation (with Orleans' default directory it was deactivated on its healthy silo and activated again, every
/// participant marked reconnecting and every page rejoining). The class's own silo: it activates again on a survivor.
/// </summary>
public sealed class ClassroomGrainDirectoryLossTests
{
    [Fact]
    public async Task DirectorySiloKilled_ClassOnAnotherSilo_KeepsItsActivationAndEveryoneStaysConnected()
    {
        await using var host = await TestGrainHost.CreateWithSilosAsync(3);
        var management = host.Cluster.GrainFactory.GetGrain<IManagementGrain>(0);
        var (room, classId, grainSilo, directorySilo) = await LiveClassOffItsDirectorySiloAsync(host);
        await room.JoinAsync(Device);
        var versionBefore = await StateVersionAsync(host, classId);
        var key = new GrainKey(GrainKinds.Classroom, classId);
        var eventsBefore = host.Events.EventsOf(key).Count;

        await host.Cluster.KillSiloAsync(directorySilo);
        await WaitDeclaredDeadAsync(host.Cluster, directorySilo.SiloAddress);
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);

        Assert.Equal(grainSilo, await management.GetActivationAddress(room));
        Assert.Equal(2, after.Participants.Count);
        Assert.All(after.Participants, p => Assert.Equal(ConnectionState.Connected, p.Connection));
        // An activation writes once (it marks everyone reconnecting); the surviving one has nothing to write.
        Assert.Equal(versionBefore, await StateVersionAsync(host, classId));
        Assert.DoesNotContain(host.Events.EventsOf(key).Skip(eventsBefore), e => e.Type == ClassEventTypes.ConnectionChanged);
    }

    /// <summary>
    /// The other half: the class's own silo dies. Only its own grains activate again, on a survivor, at the next call,
    /// which marks everyone reconnecting (their pages join again). Prints how long the first call took after the death
    /// was known. The test cluster's in-process kill does not trigger the directory's safety lease (off in the server,
    /// GrainDirectoryChoice): TwoNodeFailoverTests, with real processes, is what shows its cost.
    /// </summary>
    [Fact]
    public async Task GrainSiloKilled_ClassActivatesAgainOnASurvivor_EveryoneReconnecting()
    {
        await using var host = await TestGrainHost.CreateWithSilosAsync(3);
        var management = host.Cluster.GrainFactory.GetGrain<IManagementGrain>(0);
        var (room, grainSilo) = await LiveClassOnASecondarySiloAsync(host);
        await room.JoinAsync(Device);

        await host.Cluster.KillSiloAsync(grainSilo);
        await WaitDeclaredDeadAsync(host.Cluster, grainSilo.SiloAddress);
        var sinceDeclaredDead = System.Diagnostics.Stopwatch.StartNew();
        var after = await room.GetSnapshotAsync(ClassScenario.Lead);
        Console.WriteLine($"first call after the death was known answered in {sinceDeclaredDead.Elapsed.TotalSeconds:F2} s");

        var newSilo = await management.GetActivationAddress(room);
        Assert.NotNull(newSilo);
        Assert.NotEqual(grainSilo.SiloAddress, newSilo);
        Assert.Equal(2, after.Participants.Count);
        Assert.All(after.Participants, p => Assert.Equal(ConnectionState.Reconnecting, p.Connection));
    }

    private static RoomCaller Device => ClassScenario.Device(1);

    /// <summary>A live class activated on a secondary silo (one the test may kill).</summary>
    private static async Task<(IClassroomGrain Room, SiloHandle GrainSilo)> LiveClassOnASecondarySiloAsync(TestGrainHost host)
    {
        var silo = host.Cluster.SecondarySilos[0];
        return (await host.LiveClassOnSiloAsync(silo, "class-host", ruralCount: 1), silo);
    }

    /// <summary>
    /// A live class whose activation and directory entry are on different secondary silos (the primary holds the test
    /// cluster's membership and is never killed). The entry's silo is computed from the ring rule (<see cref="DirectoryOwner"/>)
    /// under ids until one falls on a secondary silo; the class is then set up on the other secondary silo.
    /// </summary>
    private static async Task<(IClassroomGrain Room, string ClassId, SiloAddress GrainSilo, SiloHandle DirectorySilo)> LiveClassOffItsDirectorySiloAsync(TestGrainHost host)
    {
        var silos = host.Cluster.Silos.Select(s => s.SiloAddress).ToList();
        for (var n = 0; n < 256; n++)
        {
            var classId = $"class-directory-{n}";
            var owner = DirectoryOwner(GrainId.Create(GrainKinds.Classroom, classId), silos);
            var ownerHandle = host.Cluster.SecondarySilos.FirstOrDefault(s => s.SiloAddress.Equals(owner));
            if (ownerHandle is null)
            {
                continue;
            }
            var grainSilo = host.Cluster.SecondarySilos.First(s => !s.SiloAddress.Equals(owner));
            return (await host.LiveClassOnSiloAsync(grainSilo, classId, ruralCount: 1), classId, grainSilo.SiloAddress, ownerHandle);
        }
        throw new InvalidOperationException("no class id had its directory entry on a secondary silo");
    }

    /// <summary>
    /// The silo whose directory partition holds <paramref name="grain"/>'s entry, by both rules Orleans 10.4.2 has
    /// (one partition per silo, a ring over the silos' consistent hashes): DistributedGrainDirectory's range
    /// (boundary, next boundary] compared as unsigned, LocalGrainDirectory's largest boundary not above the grain's hash
    /// compared as signed. Null when the two disagree, so the test never kills a silo that holds the entry under one
    /// directory only, and fails, rather than passes, if the server went back to Orleans' default directory.
    /// </summary>
    private static SiloAddress? DirectoryOwner(GrainId grain, IReadOnlyList<SiloAddress> silos)
    {
        var hash = grain.GetUniformHashCode();
        var byUnsigned = silos.OrderBy(s => (uint)s.GetConsistentHashCode()).ToList();
        var distributed = byUnsigned.LastOrDefault(s => (uint)s.GetConsistentHashCode() < hash) ?? byUnsigned[^1];
        var bySigned = silos.OrderBy(s => s.GetConsistentHashCode()).ToList();
        var local = bySigned.LastOrDefault(s => s.GetConsistentHashCode() <= unchecked((int)hash)) ?? bySigned[^1];
        return distributed.Equals(local) ? distributed : null;
    }

    /// <summary>Until every surviving silo's membership view has <paramref name="silo"/> dead (what a directory acts on).</summary>
    internal static async Task WaitDeclaredDeadAsync(TestCluster cluster, SiloAddress silo)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        foreach (var survivor in cluster.Silos)
        {
            var membership = cluster.GetSiloServiceProvider(survivor.SiloAddress).GetRequiredService<IClusterMembershipService>();
            await foreach (var snapshot in membership.MembershipUpdates.WithCancellation(timeout.Token))
            {
                if (snapshot.GetSiloStatus(silo) == SiloStatus.Dead)
                {
                    break;
                }
            }
        }
    }

    private static async Task<long> StateVersionAsync(TestGrainHost host, string classId)
    {
        await using var cmd = host.DataSource.CreateCommand("SELECT version FROM grain_state WHERE kind = @kind AND id = @id");
        cmd.Parameters.AddWithValue("kind", GrainKinds.Classroom);
        cmd.Parameters.AddWithValue("id", classId);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
