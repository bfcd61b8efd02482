using LiveClassroom.Grains.Rooms;
using LiveClassroom.Server.Persistence;
using LiveClassroom.Server.Persistence.Grains;
using LiveClassroom.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace LiveClassroom.Server.Tests.Persistence;

/// <summary>
/// The grain storage every room's state goes through, on real PostgreSQL: readable JSON rows in grain_state, the
/// version as the ETag, and optimistic concurrency (a second activation writing over the first is refused, which is
/// what keeps two nodes from both believing they own a room after a failover).
/// </summary>
public sealed class PostgresGrainStorageTests : IAsyncLifetime
{
    private TestDatabase _db = null!;
    private NpgsqlDataSource _ds = null!;
    private PostgresGrainStorage _storage = null!;
    private readonly GrainId _grain = GrainId.Create("classroom", "C-" + Guid.NewGuid().ToString("n"));

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync();
        _ds = _db.CreateDataSource();
        await new MigrationRunner(_ds, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationCatalog.Embedded, default);
        _storage = new PostgresGrainStorage(_ds);
    }

    public async Task DisposeAsync()
    {
        await _ds.DisposeAsync();
        await _db.DisposeAsync();
    }

    public sealed class Probe
    {
        public int Count { get; set; }

        public string? Title { get; set; }

        public DayOfWeek Day { get; set; }
    }

    private async Task<GrainState<Probe>> ReadAsync()
    {
        var state = new GrainState<Probe>();
        await _storage.ReadStateAsync("state", _grain, state);
        return state;
    }

    [Fact]
    public async Task Read_NoRow_GivesAFreshStateWithoutETag()
    {
        var state = await ReadAsync();

        Assert.False(state.RecordExists);
        Assert.Null(state.ETag);
        Assert.Equal(0, state.State!.Count);
    }

    [Fact]
    public async Task Write_ThenRead_RoundTripsAsReadableJsonWithTheVersionAsETag()
    {
        var state = await ReadAsync();
        state.State = new Probe { Count = 3, Title = "三年级 音乐", Day = DayOfWeek.Friday };

        await _storage.WriteStateAsync("state", _grain, state);
        await _storage.WriteStateAsync("state", _grain, state);
        var again = await ReadAsync();

        Assert.Equal("2", state.ETag);
        Assert.Equal("2", again.ETag);
        Assert.True(again.RecordExists);
        Assert.Equal(3, again.State!.Count);
        Assert.Equal("三年级 音乐", again.State!.Title);
        await using var cmd = _ds.CreateCommand("SELECT state->>'title', state->>'day', kind FROM grain_state WHERE id = @id");
        cmd.Parameters.AddWithValue("id", _grain.Key.ToString()!);
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal("三年级 音乐", row.GetString(0));
        Assert.Equal("Friday", row.GetString(1));
        Assert.Equal("classroom", row.GetString(2));
    }

    [Fact]
    public async Task Write_WithAStaleETag_IsRefusedAndTheNewerStateStays()
    {
        var first = await ReadAsync();
        first.State!.Count = 1;
        await _storage.WriteStateAsync("state", _grain, first);
        var a = await ReadAsync();
        var b = await ReadAsync();
        a.State!.Count = 10;
        await _storage.WriteStateAsync("state", _grain, a);

        b.State!.Count = 20;
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("state", _grain, b));

        Assert.Equal(10, (await ReadAsync()).State!.Count);
    }

    [Fact]
    public async Task FirstWrite_WhenAnotherActivationAlreadyWrote_IsRefused()
    {
        var a = await ReadAsync();
        var b = await ReadAsync();
        a.State!.Count = 1;
        await _storage.WriteStateAsync("state", _grain, a);

        b.State!.Count = 2;
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.WriteStateAsync("state", _grain, b));

        Assert.Equal(1, (await ReadAsync()).State!.Count);
    }

    [Fact]
    public async Task Clear_RemovesTheRow_NextWriteStartsOver()
    {
        var state = await ReadAsync();
        state.State!.Count = 5;
        await _storage.WriteStateAsync("state", _grain, state);

        await _storage.ClearStateAsync("state", _grain, state);
        var cleared = await ReadAsync();

        Assert.False(cleared.RecordExists);
        Assert.Equal(0, cleared.State!.Count);
        cleared.State!.Count = 6;
        await _storage.WriteStateAsync("state", _grain, cleared);
        Assert.Equal("1", cleared.ETag);
    }

    [Fact]
    public async Task Write_ChatSection_HasItsOwnRowAndLeavesTheGrainsRowAlone()
    {
        var main = await ReadAsync();
        main.State!.Count = 1;
        await _storage.WriteStateAsync("state", _grain, main);
        var chat = new GrainState<Probe>();
        await _storage.ReadStateAsync(RoomStorage.ChatSection, _grain, chat);
        Assert.False(chat.RecordExists);

        chat.State = new Probe { Count = 200, Title = "聊天" };
        await _storage.WriteStateAsync(RoomStorage.ChatSection, _grain, chat);
        await _storage.WriteStateAsync(RoomStorage.ChatSection, _grain, chat);
        var mainAgain = await ReadAsync();
        var chatAgain = new GrainState<Probe>();
        await _storage.ReadStateAsync(RoomStorage.ChatSection, _grain, chatAgain);

        Assert.Equal("1", mainAgain.ETag);
        Assert.Equal(1, mainAgain.State!.Count);
        Assert.Equal("2", chatAgain.ETag);
        Assert.Equal(200, chatAgain.State!.Count);
        await using var cmd = _ds.CreateCommand("SELECT kind, version FROM grain_state WHERE id = @id ORDER BY kind");
        cmd.Parameters.AddWithValue("id", _grain.Key.ToString()!);
        await using var row = await cmd.ExecuteReaderAsync();
        Assert.True(await row.ReadAsync());
        Assert.Equal(("classroom", 1L), (row.GetString(0), row.GetInt64(1)));
        Assert.True(await row.ReadAsync());
        Assert.Equal(("classroomchat", 2L), (row.GetString(0), row.GetInt64(1)));
    }
}
