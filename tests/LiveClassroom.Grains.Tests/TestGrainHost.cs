using System.Collections.Concurrent;
using LiveClassroom.Grains.Cascade;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Research;
using LiveClassroom.Grains.Rooms;
using LiveClassroom.Grains.Tests.Doubles;
using LiveClassroom.Server.Grains;
using LiveClassroom.Server.Persistence;
using LiveClassroom.Server.Persistence.Grains;
using LiveClassroom.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Core.Internal;
using Orleans.Hosting;
using Orleans.Runtime;
using Orleans.Storage;
using Orleans.TestingHost;

namespace LiveClassroom.Grains.Tests;

/// <summary>
/// The grains on Orleans' in-process test cluster (two silos), their state in a throwaway PostgreSQL database through
/// the server's own grain storage, and recording doubles for the other ports. The rules read a manual clock
/// (<see cref="Time"/>); Orleans keeps its own. <see cref="AdvanceAsync"/> moves the rules' clock and then delivers
/// the rooms' "tick" reminder, as the reminder service would after that much time.
/// </summary>
public sealed class TestGrainHost : IAsyncDisposable
{
    private const string HarnessKey = "LcHarness";
    private static readonly ConcurrentDictionary<string, TestGrainHost> Hosts = new();

    private readonly ConcurrentDictionary<GrainId, byte> _used = new();
    private readonly string _id = Guid.NewGuid().ToString("N");
    private TestCluster? _cluster;
    private TestDatabase? _database;
    private NpgsqlDataSource? _dataSource;

    private TestGrainHost(RoomOptions options, CascadeNodes? cascade)
    {
        Options = options;
        Cascade = cascade;
    }

    /// <summary>Set by <see cref="CreateCascadeAsync"/>: every silo a media node with its own media double and relay.</summary>
    public CascadeNodes? Cascade { get; }

    public RoomOptions Options { get; }

    public ManualTimeProvider Time { get; } = new();

    public RecordingRoomEventPublisher Events { get; } = new();

    public RecordingMediaControl Media { get; } = new();

    public InMemoryPairingDirectory Pairings { get; } = new();

    public ScriptedNodeLiveness Liveness { get; } = new();

    public TestCluster Cluster => _cluster ?? throw new InvalidOperationException("not started");

    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("not started");

    public static Task<TestGrainHost> CreateAsync(Action<RoomOptions>? configure = null) => CreateAsync(configure, null, 2);

    /// <summary>As <see cref="CreateAsync(Action{RoomOptions}?)"/> with <paramref name="silos"/> silos (a secondary one can be killed).</summary>
    public static Task<TestGrainHost> CreateWithSilosAsync(int silos) => CreateAsync(null, null, silos);

    /// <summary>Three silos, each a cascade media node of <paramref name="capacity"/> subscribers (<see cref="Cascade"/>).</summary>
    public static Task<TestGrainHost> CreateCascadeAsync(int capacity) => CreateAsync(null, new CascadeNodes(capacity), 3);

    private static async Task<TestGrainHost> CreateAsync(Action<RoomOptions>? configure, CascadeNodes? cascade, int silos)
    {
        var options = new RoomOptions();
        configure?.Invoke(options);
        var host = new TestGrainHost(options, cascade);
        Hosts[host._id] = host;
        host._database = await TestDatabase.CreateAsync("grains");
        host._dataSource = host._database.CreateDataSource();
        await new MigrationRunner(host._dataSource, NullLogger<MigrationRunner>.Instance).ApplyAsync(MigrationCatalog.Embedded, default);
        var builder = new TestClusterBuilder((short)silos);
        // Orleans' test cluster adds its own choice of grain directory to every silo; the silos here make the server's
        // (SiloConfigurator), so that what a node's death does to a grain is tested as it is in production.
        if (builder.Options.SiloBuilderConfiguratorTypes.RemoveAll(t => t?.Contains("ConfigureDistributedGrainDirectory", StringComparison.Ordinal) == true) != 1)
        {
            throw new InvalidOperationException("Orleans' test cluster no longer adds ConfigureDistributedGrainDirectory: check which grain directory the silos use");
        }
        builder.Properties[HarnessKey] = host._id;
        builder.AddSiloBuilderConfigurator<SiloConfigurator>();
        builder.AddClientBuilderConfigurator<ClientConfigurator>();
        host._cluster = builder.Build();
        await host._cluster.DeployAsync();
        return host;
    }

    public T GetGrain<T>(string id) where T : IGrainWithStringKey
    {
        var grain = Cluster.GrainFactory.GetGrain<T>(id);
        _used[grain.GetGrainId()] = 0;
        return grain;
    }

    /// <summary>
    /// Sets up, opens and joins (as the lead) a class of <paramref name="ruralCount"/> rural classrooms through
    /// <paramref name="silo"/>'s own grain factory: the class prefers the silo that first calls it
    /// (<c>PreferLocalPlacement</c>), so it activates there. Through the test cluster's client it activated on whichever
    /// gateway the client picked, which at CI load was the primary for all 64 ids a test tried (CI on c47d0ae).
    /// Returns the client's reference: later calls come through the client, as a server's do, and outlive the silo.
    /// </summary>
    public async Task<IClassroomGrain> LiveClassOnSiloAsync(SiloHandle silo, string classId, int ruralCount)
    {
        var factory = Cluster.GetSiloServiceProvider(silo.SiloAddress).GetRequiredService<IGrainFactory>();
        await factory.GetGrain<IClassroomGrain>(classId).SetupAsync(RoomCaller.System, ClassScenario.Setup(ruralCount));
        var room = GetGrain<IClassroomGrain>(classId);
        await room.OpenAsync(ClassScenario.Lead);
        await room.JoinAsync(ClassScenario.Lead);
        var activation = await Cluster.GrainFactory.GetGrain<IManagementGrain>(0).GetActivationAddress(room);
        if (!silo.SiloAddress.Equals(activation))
        {
            throw new InvalidOperationException($"class {classId} set up from {silo.SiloAddress} activated on {activation}");
        }
        return room;
    }

    /// <summary>Moves the rules' clock, then ticks every room this test has used (its timer or reminder firing).</summary>
    public async Task AdvanceAsync(TimeSpan by)
    {
        Time.Advance(by);
        foreach (var id in _used.Keys)
        {
            await Cluster.GrainFactory.GetGrain<IRemindable>(id).ReceiveReminder("tick", default);
        }
    }

    /// <summary>Every activation is dropped (as when their silos restart); the next call loads the stored state.</summary>
    public async Task RestartAsync()
    {
        var management = Cluster.GrainFactory.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
    }

    /// <summary>The room's activation is dropped; the next call activates it again from its stored state.</summary>
    public async Task DeactivateAsync(GrainKey room)
    {
        // A live class keeps itself active (activation collection would not take it): deactivate it explicitly.
        await Cluster.GrainFactory.GetGrain<IGrainManagementExtension>(GrainId.Create(room.Kind, room.Id)).DeactivateOnIdle();
    }

    /// <summary>
    /// The room's activation is dropped and its stored state of <paramref name="room"/> now names <paramref name="node"/> as
    /// the node that last wrote it: as after a node (one the test may declare dead in <see cref="Liveness"/>) died
    /// while hosting the room. The next call activates it on a live silo. (A class's media log, which may carry the last
    /// write, is changed the same way.)
    /// </summary>
    public async Task LoseNodeAsync(GrainKey room, string node)
    {
        await DeactivateAsync(room);
        await using var cmd = DataSource.CreateCommand(
            "UPDATE grain_state SET state = jsonb_set(state, '{writtenBy}', to_jsonb(@node::text)) WHERE kind IN (@kind, @kind || @media) AND id = @id");
        cmd.Parameters.AddWithValue("node", node);
        cmd.Parameters.AddWithValue("kind", room.Kind);
        cmd.Parameters.AddWithValue("media", RoomStorage.MediaSection);
        cmd.Parameters.AddWithValue("id", room.Id);
        if (await cmd.ExecuteNonQueryAsync() < 1)
        {
            throw new InvalidOperationException($"no stored state for {room}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.StopAllSilosAsync();
            await _cluster.DisposeAsync();
        }
        Hosts.TryRemove(_id, out _);
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    private sealed class SiloConfigurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder)
        {
            var host = Hosts[siloBuilder.Configuration[HarnessKey]!];
            siloBuilder.UseInMemoryReminderService();
            siloBuilder.UseSurvivingGrainDirectory();
            siloBuilder.Services.AddSingleton(host.DataSource);
            siloBuilder.Services.AddKeyedSingleton<IGrainStorage>(RoomStorage.Name, (sp, _) => new PostgresGrainStorage(sp.GetRequiredService<NpgsqlDataSource>()));
            if (host.Cascade is { } cascade)
            {
                siloBuilder.AddPlacementDirector<NodePinnedPlacement, NodePinnedPlacementDirector>();
                siloBuilder.Services.AddSingleton(sp =>
                {
                    var node = cascade.For(sp.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString());
                    return new GrainServices(host.Events, node.Media, host.Pairings, host.Time, host.Options, host.Liveness) { Cascade = node };
                });
            }
            else
            {
                siloBuilder.Services.AddSingleton(new GrainServices(host.Events, host.Media, host.Pairings, host.Time, host.Options, host.Liveness));
            }
            siloBuilder.Services.AddRoomSerialization();
        }
    }

    private sealed class ClientConfigurator : IClientBuilderConfigurator
    {
        public void Configure(Microsoft.Extensions.Configuration.IConfiguration configuration, IClientBuilder clientBuilder) =>
            clientBuilder.Services.AddRoomSerialization();
    }
}
