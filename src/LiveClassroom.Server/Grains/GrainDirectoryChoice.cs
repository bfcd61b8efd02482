using Orleans.Configuration;
using Orleans.Hosting;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// Which Orleans grain directory the cluster uses: the strongly consistent <c>DistributedGrainDirectory</c>, not
/// Orleans' default <c>LocalGrainDirectory</c>. With the default, a grain's directory entry lives on one silo of a hash
/// ring, and when that silo dies every silo deactivates the activations whose entries it held ("LocalGrainDirectory is
/// deactivating N activations because silo … was the primary directory partition for these grain ids"): a live class
/// on a healthy origin was dropped whole because an edge died, and its 600 classrooms rejoined (27–44 s in the cascade
/// benchmark, docs/BENCHMARKS-CASCADE.md). The distributed directory's next owner of a dead silo's range rebuilds it from the
/// activations the surviving silos still hold, so those keep running.
/// Marked experimental (ORLEANSEXP003) in Orleans 10.4.2; Orleans' own test cluster uses it by default. Every silo of a
/// cluster should make the same choice (switching a running cluster: docs/GRAINS.md, "A node's death takes only its own grains").
/// <para>
/// Its safety leases are off (<see cref="GrainDirectoryOptions.RangeLeaseDuration"/> zero). By default (Orleans 10.4.2's
/// code), after a silo is declared dead its grains may not register again for 30 s less the failure-detection window
/// (MaxProbeTimeout × NumMissedProbesLimit, 6 s here), and a range whose previous owner died may take no new
/// registration for as long: with it, a class whose own node was killed had video back on the other node after 28.5 s
/// instead of 9.3 s (TwoNodeFailoverTests), and any grain activating in the dead node's range would wait as long. The lease guards against a node declared dead that has not noticed yet and still runs its activations;
/// without it such a node's stale activation can overlap the new one for the seconds until it reads the membership
/// table — as with Orleans' default directory before — and the state's version check refuses the stale one's writes
/// (<c>PostgresGrainStorage</c>: the activation is dropped).
/// </para>
/// </summary>
public static class GrainDirectoryChoice
{
    /// <summary>Registers <c>DistributedGrainDirectory</c> as the silo's default grain directory.</summary>
    public static ISiloBuilder UseSurvivingGrainDirectory(this ISiloBuilder silo)
    {
        ArgumentNullException.ThrowIfNull(silo);
#pragma warning disable ORLEANSEXP003 // experimental in 10.4.2: chosen for its recovery (above), tested by ClassroomGrainDirectoryLossTests
        silo.AddDistributedGrainDirectory();
#pragma warning restore ORLEANSEXP003
        silo.Configure<GrainDirectoryOptions>(o => o.RangeLeaseDuration = TimeSpan.Zero);
        return silo;
    }
}
