using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Persistence.Grains;
using LiveClassroom.Server.Placement;
using LiveClassroom.Server.Tests.Grains;

namespace LiveClassroom.Server.Tests.Placement;

public sealed class PostgresLeaseStoreTests
{
    private static readonly GrainKey Key = new(GrainKinds.Classroom, "class-1");
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    // Moves the database's view of this lease past its expiry instead of waiting for the clock.
    private static Task ExpireAsync(MigratedDatabase db) =>
        db.ExecAsync("UPDATE room_leases SET expires_at = now() - interval '1 second'");

    [Fact]
    public async Task TryAcquire_Free_AcquiresEpochOne()
    {
        await using var db = await MigratedDatabase.CreateAsync("ls");
        var leases = new PostgresLeaseStore(db.DataSource);

        var lease = await leases.TryAcquireAsync(Key, "node-a", "http://node-a:5080", Duration);

        Assert.True(lease.Acquired);
        Assert.Equal(1, lease.Epoch);
        Assert.True(lease.ExpiresAt > DateTimeOffset.UtcNow.AddSeconds(20));
    }

    [Fact]
    public async Task TryAcquire_HeldByLiveNode_ReturnsOwnerAndUrl()
    {
        await using var db = await MigratedDatabase.CreateAsync("ls");
        var leases = new PostgresLeaseStore(db.DataSource);
        await leases.TryAcquireAsync(Key, "node-a", "http://node-a:5080", Duration);

        var lease = await leases.TryAcquireAsync(Key, "node-b", "http://node-b:5080", Duration);

        Assert.False(lease.Acquired);
        Assert.Equal("node-a", lease.OwnerNodeId);
        Assert.Equal("http://node-a:5080", lease.OwnerUrl);
        Assert.Equal(1, lease.Epoch);
    }

    [Fact]
    public async Task Renew_ByOwner_ExtendsExpiry()
    {
        await using var db = await MigratedDatabase.CreateAsync("ls");
        var leases = new PostgresLeaseStore(db.DataSource);
        var lease = await leases.TryAcquireAsync(Key, "node-a", "http://node-a:5080", TimeSpan.FromSeconds(5));

        var renewed = await leases.RenewAsync(Key, "node-a", lease.Epoch, TimeSpan.FromMinutes(10));
        var byOther = await leases.RenewAsync(Key, "node-b", lease.Epoch, TimeSpan.FromMinutes(10));

        Assert.True(renewed);
        Assert.False(byOther);
        Assert.True(await db.ScalarAsync<bool>("SELECT expires_at > now() + interval '9 minutes' FROM room_leases"));
    }

    [Fact]
    public async Task TryAcquire_AfterExpiry_TakesOverWithHigherEpochAndOldOwnerCannotRenew()
    {
        await using var db = await MigratedDatabase.CreateAsync("ls");
        var leases = new PostgresLeaseStore(db.DataSource);
        var a = await leases.TryAcquireAsync(Key, "node-a", "http://node-a:5080", Duration);
        await ExpireAsync(db);

        var b = await leases.TryAcquireAsync(Key, "node-b", "http://node-b:5080", Duration);
        var aRenews = await leases.RenewAsync(Key, "node-a", a.Epoch, Duration);
        var aAgain = await leases.TryAcquireAsync(Key, "node-a", "http://node-a:5080", Duration);

        Assert.True(b.Acquired);
        Assert.Equal(2, b.Epoch);
        Assert.False(aRenews);
        Assert.False(aAgain.Acquired);
        Assert.Equal("http://node-b:5080", aAgain.OwnerUrl);
    }

    [Fact]
    public async Task Release_ByOwner_LetsAnotherNodeTakeOverAtOnce()
    {
        await using var db = await MigratedDatabase.CreateAsync("ls");
        var leases = new PostgresLeaseStore(db.DataSource);
        var a = await leases.TryAcquireAsync(Key, "node-a", "http://node-a:5080", Duration);

        await leases.ReleaseAsync(Key, "node-b", a.Epoch); // not the owner: no effect
        var whileHeld = await leases.TryAcquireAsync(Key, "node-b", "http://node-b:5080", Duration);
        await leases.ReleaseAsync(Key, "node-a", a.Epoch);
        var afterRelease = await leases.TryAcquireAsync(Key, "node-b", "http://node-b:5080", Duration);

        Assert.False(whileHeld.Acquired);
        Assert.True(afterRelease.Acquired);
        Assert.Equal(2, afterRelease.Epoch);
    }

    [Fact]
    public async Task StaleOwner_WriteAfterTakeover_Refused()
    {
        await using var db = await MigratedDatabase.CreateAsync("ls");
        var leases = new PostgresLeaseStore(db.DataSource);
        var store = new PostgresGrainStateStore(db.DataSource);
        var a = await leases.TryAcquireAsync(Key, "node-a", "http://node-a:5080", Duration);
        var aState = await store.ReadAsync(Key, a.Epoch);
        var aVersion = await store.WriteAsync(Key, """{"hands":["rural-1"]}""", aState.Version, a.Epoch);
        await ExpireAsync(db);

        var b = await leases.TryAcquireAsync(Key, "node-b", "http://node-b:5080", Duration);
        var bState = await store.ReadAsync(Key, b.Epoch);
        var stale = await Assert.ThrowsAsync<GrainStateConflictException>(
            () => store.WriteAsync(Key, """{"hands":[]}""", aVersion, a.Epoch));

        Assert.True(stale.IsStaleEpoch);
        Assert.Equal("""{"hands": ["rural-1"]}""", bState.StateJson);
        Assert.Equal("""{"hands": ["rural-1"]}""", (await store.ReadAsync(Key, b.Epoch)).StateJson);
    }

    [Fact]
    public async Task TryAcquire_ManyNodesAtOnce_ExactlyOneWins()
    {
        await using var db = await MigratedDatabase.CreateAsync("ls");
        var leases = new PostgresLeaseStore(db.DataSource);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            leases.TryAcquireAsync(Key, $"node-{i}", $"http://node-{i}:5080", Duration)));

        var winner = Assert.Single(results, r => r.Acquired);
        Assert.All(results.Where(r => !r.Acquired), r => Assert.Equal(winner.OwnerNodeId, r.OwnerNodeId));
        Assert.Equal(1, winner.Epoch);
    }
}
