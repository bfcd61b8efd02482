using System.Globalization;
using LiveClassroom.Grains;
using LiveClassroom.Grains.Hosting;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Persistence.Grains;
using LiveClassroom.Server.Placement;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LiveClassroom.Server.Grains;

/// <summary>Wires the grain host, its PostgreSQL ports and lease renewal into the server.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GrainHost"/> (also as <see cref="IGrainFactory"/>), the PostgreSQL state store, lease store
    /// and pairing directory, the event dispatcher (<see cref="IRoomEventSink"/>s receive the events), a stand-in
    /// <see cref="IMediaControl"/> unless one is registered, and the lease renewal service. Needs an
    /// <c>NpgsqlDataSource</c> and a <see cref="TimeProvider"/> in DI.
    /// </summary>
    public static IServiceCollection AddRoomGrains(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(ReadOptions(config));
        services.AddSingleton<IGrainStateStore, PostgresGrainStateStore>();
        services.AddSingleton<IGrainLeaseStore, PostgresLeaseStore>();
        services.AddSingleton<IPairingDirectory, PostgresPairingDirectory>();
        services.AddSingleton<IRoomEventPublisher, RoomEventDispatcher>();
        services.TryAddSingleton<IMediaControl, NoMediaControl>();
        services.AddSingleton(sp => new GrainHost(
            sp.GetRequiredService<GrainHostOptions>(),
            new GrainServices(
                sp.GetRequiredService<IGrainStateStore>(),
                sp.GetRequiredService<IGrainLeaseStore>(),
                sp.GetRequiredService<IRoomEventPublisher>(),
                sp.GetRequiredService<IMediaControl>(),
                sp.GetRequiredService<IPairingDirectory>(),
                sp.GetRequiredService<TimeProvider>())
            {
                LoggerFactory = sp.GetRequiredService<ILoggerFactory>(),
            }));
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainHost>());
        services.AddHostedService<LeaseRenewalService>();
        return services;
    }

    /// <summary>Node:Id, Node:PublicUrl, Leases:DurationSeconds (15), Leases:RenewSeconds (5), Grains:IdleMinutes (30), Grains:ReconnectGraceSeconds (60).</summary>
    public static GrainHostOptions ReadOptions(IConfiguration config)
    {
        var options = new GrainHostOptions();
        if (config["Node:Id"] is { Length: > 0 } id)
        {
            options.NodeId = id;
        }
        if (config["Node:PublicUrl"] is { Length: > 0 } url)
        {
            options.NodeUrl = url.TrimEnd('/');
        }
        options.LeaseDuration = TimeSpan.FromSeconds(Number(config, "Leases:DurationSeconds", 15));
        options.LeaseRenewInterval = TimeSpan.FromSeconds(Number(config, "Leases:RenewSeconds", 5));
        options.IdleTimeout = TimeSpan.FromMinutes(Number(config, "Grains:IdleMinutes", 30));
        options.ReconnectGrace = TimeSpan.FromSeconds(Number(config, "Grains:ReconnectGraceSeconds", 60));
        if (options.LeaseRenewInterval >= options.LeaseDuration)
        {
            throw new InvalidOperationException("Leases:RenewSeconds must be shorter than Leases:DurationSeconds, or leases expire between renewals");
        }
        return options;
    }

    private static double Number(IConfiguration config, string key, double fallback)
    {
        var raw = config[key];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return fallback;
        }
        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
            ? v
            : throw new InvalidOperationException($"{key} must be a positive number, not '{raw}'");
    }
}
