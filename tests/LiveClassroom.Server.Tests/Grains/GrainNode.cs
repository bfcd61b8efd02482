using LiveClassroom.Grains;
using LiveClassroom.Grains.Hosting;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Testing;
using LiveClassroom.Server.Grains;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace LiveClassroom.Server.Tests.Grains;

/// <summary>
/// One server node's grain side, built with the server's own registration (<c>AddRoomGrains</c>) in its own DI
/// container, with its hosted services (lease renewal) running. Several share one database like real nodes.
/// </summary>
internal sealed class GrainNode : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly List<IHostedService> _hosted;

    private GrainNode(ServiceProvider services)
    {
        _services = services;
        _hosted = [.. services.GetServices<IHostedService>()];
    }

    public GrainHost Host => _services.GetRequiredService<GrainHost>();

    public IGrainFactory Grains => _services.GetRequiredService<IGrainFactory>();

    public RecordingRoomEventSink Sink => (RecordingRoomEventSink)_services.GetRequiredService<IRoomEventSink>();

    public RecordingMediaControl Media => _services.GetRequiredService<RecordingMediaControl>();

    public static async Task<GrainNode> StartAsync(string connectionString, string nodeId, double leaseSeconds, double renewSeconds)
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Node:Id"] = nodeId,
            ["Node:PublicUrl"] = $"http://{nodeId}:5080/",
            ["Leases:DurationSeconds"] = leaseSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Leases:RenewSeconds"] = renewSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(config);
        services.AddSingleton(_ => NpgsqlDataSource.Create(connectionString));
        services.AddSingleton(TimeProvider.System);
        services.AddSingleton<RecordingMediaControl>();
        services.AddSingleton<IMediaControl>(sp => sp.GetRequiredService<RecordingMediaControl>());
        services.AddSingleton<IRoomEventSink, RecordingRoomEventSink>();
        services.AddRoomGrains(config);
        var node = new GrainNode(services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }));
        foreach (var hosted in node._hosted)
        {
            await hosted.StartAsync(CancellationToken.None);
        }
        return node;
    }

    /// <summary>Dies: no more renewals, nothing written or released; its leases stay until they expire.</summary>
    public async Task CrashAsync()
    {
        Host.Abandon();
        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var hosted in _hosted)
        {
            await hosted.StopAsync(CancellationToken.None);
        }
        await _services.DisposeAsync();
    }
}
