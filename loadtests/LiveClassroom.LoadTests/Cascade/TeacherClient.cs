using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using LiveClassroom.LoadTests.Cluster;
using LiveClassroom.Media.Dtls;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>The synthetic lead teacher: a hub connection (JoinClass, Negotiate publishing camera and microphone) and its simulcast sender.</summary>
internal sealed partial class TeacherClient : IDisposable
{
    private readonly HubConnection _hub;
    private readonly SyntheticPeer _peer;

    private readonly Timer _consent;

    private TeacherClient(HubConnection hub, SyntheticPeer peer, BenchNode? node)
    {
        _hub = hub;
        _peer = peer;
        MediaNode = node;
        Sender = new SimulcastTeacher(peer);
        // RFC 7675 consent every 5 s, as the browser does: without it the SFU drops the teacher 30 s in.
        _consent = new Timer(_ => peer.RefreshConsent(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    public BenchNode? MediaNode { get; }

    public SimulcastTeacher Sender { get; }

    public static async Task<TeacherClient> StartAsync(BenchNode node, BenchClass k, DtlsCertificate certificate, Func<int, BenchNode?> nodeByMediaPort)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(node.Url, "/hubs/classroom"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(k.Teacher.Token))
            .Build();
        hub.ServerTimeout = TimeSpan.FromSeconds(60);
        await hub.StartAsync();
        await hub.InvokeCoreAsync<JsonElement>("JoinClass", [k.ClassId]);
        var peer = new SyntheticPeer(certificate, new IPEndPoint(IPAddress.Loopback, 9), 1);
        var offer = peer.Offer(true, SimulcastTeacher.AudioSsrc, 0, 0, rids: SimulcastTeacher.Rids);
        var description = new { publish = new { camera = "1", microphone = "0" }, receiveSlots = Array.Empty<object>() };
        var result = await hub.InvokeCoreAsync<JsonElement>("Negotiate", [k.ClassId, offer, description]);
        var answer = result.GetProperty("sdpAnswer").GetString()!;
        var candidate = UdpCandidate().Match(answer);
        var port = int.Parse(candidate.Groups[2].Value, CultureInfo.InvariantCulture);
        peer.Server = new IPEndPoint(IPAddress.Parse(candidate.Groups[1].Value), port);
        await Task.Run(() => peer.Connect(answer, SrtpProtectionProfileId.AeadAes128Gcm));
        return new TeacherClient(hub, peer, nodeByMediaPort(port));
    }

    public void Dispose()
    {
        _consent.Dispose();
        Sender.Dispose();
        _peer.Dispose();
        _hub.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    }

    [GeneratedRegex(@"a=candidate:\S+ 1 udp \d+ (\S+) (\d+) typ host")]
    private static partial Regex UdpCandidate();
}
