using LiveClassroom.Grains;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Media;
using LiveClassroom.Server.Auth;
using LiveClassroom.Server.Hubs;
using LiveClassroom.Testing;
using LiveClassroom.Testing.SignalR;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans.Runtime;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// Two real servers in-process forming one Orleans cluster on one PostgreSQL database, each with its own real SFU on
/// loopback: a page's hub connection on one node and its media on the other, as behind a load balancer or with a
/// classroom placed on an edge (docs/CASCADE.md). Started one after the other (the first migrates and seeds), then
/// awaited until each node's membership lists both as active.
/// </summary>
public sealed class TwoNodeCluster : IAsyncLifetime
{
    private TestDatabase? _db;
    private DemoOrg? _org;

    public Node A { get; private set; } = null!;

    public Node B { get; private set; } = null!;

    public DemoOrg Org => _org ?? throw new InvalidOperationException("not initialised");

    public TokenService Tokens => A.Services.GetRequiredService<TokenService>();

    public async Task InitializeAsync()
    {
        _db = await TestDatabase.CreateAsync("xnode");
        var clusterId = InProcessCluster.NewId();
        A = new Node(_db.ConnectionString, clusterId);
        _ = A.Server;
        B = new Node(_db.ConnectionString, clusterId);
        _ = B.Server;
        _org = await DemoOrg.LoadAsync(_db.ConnectionString);
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await Task.WhenAll(A.WaitForActiveNodesAsync(2, limit.Token), B.WaitForActiveNodesAsync(2, limit.Token));
    }

    public string TokenFor(string username) => DemoOrg.PersonToken(Tokens, Org[username]);

    /// <summary>A scheduled class whose grain is on <paramref name="node"/> (it activates where it is first called), with one rural classroom.</summary>
    public async Task<string> SetUpClassOnAsync(Node node)
    {
        var classId = "xnode." + Guid.NewGuid().ToString("N");
        var teacher = Org["teacher"];
        var rural = DemoOrg.RuralSchools[0];
        await node.Services.GetRequiredService<IGrainFactory>().GetGrain<IClassroomGrain>(classId).SetupAsync(RoomCaller.System, new ClassSetup(
            "三年级语文 · 古诗三首",
            new PersonRef(teacher.Id.ToString(), teacher.DisplayName),
            new ClassroomRef(Org.ClassroomOf(DemoOrg.LeadSchool).ToString(), "主讲教室"),
            [new ClassroomRef(Org.ClassroomOf(rural).ToString(), rural + " 专递课堂教室")]));
        return classId;
    }

    public async Task DisposeAsync()
    {
        await B.DisposeAsync();
        await A.DisposeAsync();
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }

    /// <summary>One node: the real server with its SFU on an ephemeral loopback port and free silo and gateway ports.</summary>
    public sealed class Node(string connectionString, string clusterId) : WebApplicationFactory<Program>
    {
        public MediaServer Sfu => Services.GetRequiredService<MediaServer>();

        /// <summary>This node as the class grain names media nodes (its silo address).</summary>
        public string NodeId => Services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

        /// <summary>Completes when this node's membership lists <paramref name="count"/> active nodes.</summary>
        public async Task WaitForActiveNodesAsync(int count, CancellationToken ct)
        {
            await foreach (var snapshot in Services.GetRequiredService<IClusterMembershipService>().MembershipUpdates.WithCancellation(ct))
            {
                if (snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active) == count)
                {
                    return;
                }
            }
        }

        /// <summary>This node's end of the media quality port, whose claims a test can hold.</summary>
        public HoldableQualityNotices Claims => (HoldableQualityNotices)Services.GetRequiredService<IMediaQualityNotices>();

        public async Task<HubTestClient> ConnectAsync(string token, string path = ClassroomHub.Path)
        {
            var socket = await Server.CreateWebSocketClient().ConnectAsync(
                HubTestClient.WithToken(new Uri(Server.BaseAddress, path), token), CancellationToken.None);
            return await HubTestClient.ConnectAsync(socket);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("Database:ConnectionString", connectionString);
            builder.UseOwnCluster(clusterId);
            builder.UseSetting("Seed:DemoPassword", "demo-password-for-tests");
            builder.UseSetting("Logging:Console:FormatterName", "simple");
            builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
            builder.UseSetting("Media:UdpPort", "0");
            builder.UseSetting("Media:PublicAddresses", "127.0.0.1");
            builder.ConfigureTestServices(s => s.Replace(ServiceDescriptor.Singleton<IMediaQualityNotices>(
                sp => new HoldableQualityNotices(sp.GetRequiredService<MediaQualityNotifier>()))));
        }
    }
}
