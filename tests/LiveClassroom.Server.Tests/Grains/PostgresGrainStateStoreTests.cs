using LiveClassroom.Grains;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Persistence.Grains;

namespace LiveClassroom.Server.Tests.Grains;

public sealed class PostgresGrainStateStoreTests
{
    private static readonly GrainKey Key = new(GrainKinds.Classroom, "class-1");

    [Fact]
    public async Task Read_NeverWritten_ReturnsVersionZeroAndNoState()
    {
        await using var db = await MigratedDatabase.CreateAsync("gs");
        var store = new PostgresGrainStateStore(db.DataSource);

        var record = await store.ReadAsync(Key, 1);

        Assert.Equal(new GrainStateRecord(null, 0, 1), record);
    }

    [Fact]
    public async Task Write_ExpectedVersion_StoresJsonAndBumpsVersion()
    {
        await using var db = await MigratedDatabase.CreateAsync("gs");
        var store = new PostgresGrainStateStore(db.DataSource);
        await store.ReadAsync(Key, 1);

        var v1 = await store.WriteAsync(Key, """{"sequence":1,"name":"王老师"}""", 0, 1);
        var v2 = await store.WriteAsync(Key, """{"sequence":2,"name":"王老师"}""", v1, 1);
        var record = await store.ReadAsync(Key, 1);

        Assert.Equal(1, v1);
        Assert.Equal(2, v2);
        Assert.Equal(2, record.Version);
        Assert.Contains("\"sequence\": 2", record.StateJson, StringComparison.Ordinal);
        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT (state->>'sequence')::bigint FROM grain_state WHERE kind = 'classroom' AND id = 'class-1'"));
    }

    [Fact]
    public async Task Write_VersionMismatch_ThrowsConflictAndKeepsStoredState()
    {
        await using var db = await MigratedDatabase.CreateAsync("gs");
        var store = new PostgresGrainStateStore(db.DataSource);
        await store.ReadAsync(Key, 1);
        await store.WriteAsync(Key, """{"n":1}""", 0, 1);

        var ex = await Assert.ThrowsAsync<GrainStateConflictException>(() => store.WriteAsync(Key, """{"n":"lost"}""", 0, 1));

        Assert.False(ex.IsStaleEpoch);
        Assert.Equal(1, ex.StoredVersion);
        Assert.Equal("""{"n": 1}""", (await store.ReadAsync(Key, 1)).StateJson);
    }

    [Fact]
    public async Task Write_AfterNewerOwnerRead_StaleEpochRefused()
    {
        await using var db = await MigratedDatabase.CreateAsync("gs");
        var store = new PostgresGrainStateStore(db.DataSource);
        await store.ReadAsync(Key, 1);
        var v = await store.WriteAsync(Key, """{"owner":"a"}""", 0, 1);

        var takeover = await store.ReadAsync(Key, 2); // the new owner's activation fences the row
        var ex = await Assert.ThrowsAsync<GrainStateConflictException>(() => store.WriteAsync(Key, """{"owner":"stale a"}""", v, 1));
        var staleRead = await store.ReadAsync(Key, 1);
        var byNewOwner = await store.WriteAsync(Key, """{"owner":"b"}""", takeover.Version, 2);

        Assert.True(ex.IsStaleEpoch);
        Assert.Equal(2, ex.StoredEpoch);
        Assert.Equal(2, staleRead.Epoch); // an old owner reading learns it is stale
        Assert.Equal(2, byNewOwner);
        Assert.Equal("""{"owner": "b"}""", (await store.ReadAsync(Key, 2)).StateJson);
    }

    [Fact]
    public async Task Write_DifferentGrains_AreIndependent()
    {
        await using var db = await MigratedDatabase.CreateAsync("gs");
        var store = new PostgresGrainStateStore(db.DataSource);
        var other = new GrainKey(GrainKinds.Pairing, "class-1");
        await store.ReadAsync(Key, 3);
        await store.ReadAsync(other, 1);

        await store.WriteAsync(Key, "{}", 0, 3);
        await store.WriteAsync(other, "{}", 0, 1);

        Assert.Equal(2L, await db.ScalarAsync<long>("SELECT count(*) FROM grain_state WHERE id = 'class-1'"));
    }
}
