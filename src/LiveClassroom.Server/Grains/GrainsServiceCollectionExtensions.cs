using LiveClassroom.Server.Hosting;
using System.Globalization;
using LiveClassroom.Grains.Cascade;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Rooms;
using LiveClassroom.Server.Persistence.Grains;
using Npgsql;
using Orleans.Configuration;
using Orleans.Serialization;
using Orleans.Serialization.Cloning;
using Orleans.Serialization.Serializers;
using Orleans.Storage;

namespace LiveClassroom.Server.Grains;

/// <summary>Co-hosts an Orleans silo in this node and wires the grains' ports, storage and event subscriptions.</summary>
public static class GrainsServiceCollectionExtensions
{
    /// <summary>ADO.NET invariant of the Npgsql provider, for Orleans' clustering and reminders.</summary>
    public const string NpgsqlInvariant = "Npgsql";

    /// <summary>
    /// The silo: clustering and reminders on the project's PostgreSQL (migration 0006), grain state in
    /// <c>grain_state</c> (<see cref="PostgresGrainStorage"/>), failure detection from <see cref="FailureDetection"/>,
    /// the grain directory from <see cref="GrainDirectoryChoice"/>, endpoints from <see cref="ClusterSettings"/>. Needs an
    /// <see cref="NpgsqlDataSource"/> in DI, and the schema migrated before the silo starts (DatabaseStartup is registered
    /// first).
    /// </summary>
    public static WebApplicationBuilder AddRoomGrains(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var cluster = ClusterSettings.Read(builder.Configuration);
        builder.Services.AddSingleton(cluster);
        builder.Services.AddRoomGrainServices(builder.Configuration);
        builder.UseOrleans(silo =>
        {
            silo.Configure<ClusterOptions>(o =>
            {
                o.ClusterId = cluster.ClusterId;
                o.ServiceId = cluster.ServiceId;
            });
            silo.ConfigureEndpoints(cluster.AdvertisedAddress, cluster.SiloPort, cluster.GatewayPort, listenOnAnyHostAddress: true);
            silo.UseAdoNetClustering(o => o.Configure<NpgsqlDataSource>((options, ds) =>
            {
                options.Invariant = NpgsqlInvariant;
                options.DataSource = ds;
            }));
            silo.UseAdoNetReminderService(o => o.Configure<NpgsqlDataSource>((options, ds) =>
            {
                options.Invariant = NpgsqlInvariant;
                options.DataSource = ds;
            }));
            silo.Configure<ClusterMembershipOptions>(FailureDetection.Apply);
            silo.UseSurvivingGrainDirectory();
            // Grain calls carry the caller's trace (W3C trace context), so a hub call's spans continue in the grain
            // and in what the grain asks of the media plane, on whichever node it runs (docs/OPERATIONS.md, "Traces").
            silo.AddActivityPropagation();
            silo.AddPlacementDirector<NodePinnedPlacement, NodePinnedPlacementDirector>();
            silo.Services.AddKeyedSingleton<IGrainStorage>(RoomStorage.Name, (sp, _) => new PostgresGrainStorage(sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>()));
        });
        return builder;
    }

    /// <summary>
    /// What the grains and the hubs need besides the silo itself: the ports (<see cref="GrainServices"/>), the
    /// serializer's codec for compiler-made collections, and this node's room subscriptions.
    /// </summary>
    public static IServiceCollection AddRoomGrainServices(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton(ReadOptions(config));
        services.AddSingleton<IPairingDirectory, PostgresPairingDirectory>();
        services.AddSingleton<IRoomEventPublisher, RoomEventDispatcher>();
        services.AddSingleton<INodeLiveness>(sp => new MembershipNodeLiveness(sp.GetRequiredService<IMembershipTable>()));
        services.AddSingleton(sp => new GrainServices(
            sp.GetRequiredService<IRoomEventPublisher>(),
            sp.GetRequiredService<IMediaControl>(),
            sp.GetRequiredService<IPairingDirectory>(),
            // The server's own clock (system time in production; server tests move a manual one), not the silo's.
            sp.GetRequiredService<ServerClock>(),
            sp.GetRequiredService<RoomOptions>(),
            sp.GetRequiredService<INodeLiveness>())
        {
            Cascade = sp.GetService<IMediaCascade>(),
            QualityNotices = sp.GetService<IMediaQualityNotices>(),
            Takeovers = sp.GetService<IMediaTakeovers>(),
        });
        services.AddRoomSerialization();
        services.AddSingleton<RoomSubscriptions>();
        services.AddHostedService(sp => sp.GetRequiredService<RoomSubscriptions>());
        return services;
    }

    /// <summary>Registers <see cref="CollectionExpressionCodec"/> with Orleans' serializer (silos and clients alike).</summary>
    public static IServiceCollection AddRoomSerialization(this IServiceCollection services)
    {
        services.AddSerializer(s =>
        {
            s.Services.AddSingleton<IGeneralizedCodec, CollectionExpressionCodec>();
            s.Services.AddSingleton<IGeneralizedCopier, CollectionExpressionCodec>();
        });
        return services;
    }

    /// <summary>Grains:ReconnectGraceSeconds (60), Grains:LeadFirstWaitSeconds (3; 0 = off).</summary>
    public static RoomOptions ReadOptions(IConfiguration config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var raw = config["Grains:ReconnectGraceSeconds"];
        var options = new RoomOptions();
        if (!string.IsNullOrWhiteSpace(raw))
        {
            options.ReconnectGrace = double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && v > 0
                ? TimeSpan.FromSeconds(v)
                : throw new InvalidOperationException($"Grains:ReconnectGraceSeconds must be a positive number, not '{raw}'");
        }
        var leadFirst = config["Grains:LeadFirstWaitSeconds"];
        if (!string.IsNullOrWhiteSpace(leadFirst))
        {
            options.LeadFirstWait = double.TryParse(leadFirst, NumberStyles.Float, CultureInfo.InvariantCulture, out var w) && w >= 0 && w <= 30
                ? TimeSpan.FromSeconds(w)
                : throw new InvalidOperationException($"Grains:LeadFirstWaitSeconds must be a number from 0 to 30, not '{leadFirst}'");
        }
        return options;
    }
}
