using System.Diagnostics;
using System.Net;
using System.Text.Json;
using LiveClassroom.LoadTests.Cluster;
using LiveClassroom.Media.Dtls;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// The synthetic lead teacher: a hub connection (JoinClass, Negotiate publishing camera and microphone) and its
/// simulcast sender. As the console page does (ClassConnection.rejoinIfDropped, RoomConnection.onreconnected), when
/// the live class counts it dropped (a fresh activation of the class grain) or its hub connection comes back, it joins
/// again and publishes on a fresh peer (the page tries an ICE restart first; the synthetic peer has none), with the
/// page's retries. States: publishing ⇄ rejoining; disposed.
/// </summary>
internal sealed class TeacherClient : IDisposable
{
    private static readonly TimeSpan RejoinBudget = TimeSpan.FromSeconds(90);

    private HubConnection _hub;
    private readonly BenchClass _class;
    private readonly DtlsCertificate _certificate;
    private readonly Func<int, BenchNode?> _nodeByMediaPort;
    private readonly IReadOnlyList<BenchNode> _nodes;
    private readonly ClassSelfWatch _self = new();
    private readonly Timer _consent;
    private SyntheticPeer _peer;
    private int _rejoining;
    private uint _generation;
    private volatile bool _disposed;

    private TeacherClient(HubConnection hub, BenchClass k, DtlsCertificate certificate, Func<int, BenchNode?> nodeByMediaPort, IReadOnlyList<BenchNode> nodes,
        SyntheticPeer peer, BenchNode? node, BenchNode hubNode)
    {
        _hub = hub;
        _nodes = nodes;
        HubNode = hubNode;
        _class = k;
        _certificate = certificate;
        _nodeByMediaPort = nodeByMediaPort;
        _peer = peer;
        MediaNode = node;
        Sender = new SimulcastTeacher(peer);
        // RFC 7675 consent every 5 s, as the browser does: without it the SFU drops the teacher 30 s in.
        _consent = new Timer(_ => _peer.RefreshConsent(), null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
    }

    /// <summary>The node the teacher publishes on (the class grain's node: the lead is always placed on the origin).</summary>
    public BenchNode? MediaNode { get; private set; }

    public SimulcastTeacher Sender { get; }

    /// <summary>Joins made again (dropped or hub reconnect), and when the last one published again (Stopwatch ticks).</summary>
    public int Rejoins { get; private set; }

    public long RepublishedAt { get; private set; }

    /// <summary>The last publication's Negotiate: when it was sent and answered (Stopwatch ticks), and the offers sent in all.</summary>
    public long PublishAskedAt { get; private set; }

    public long PublishAnsweredAt { get; private set; }

    public int PublishOffers { get; private set; }

    public Exception? LastError { get; private set; }

    /// <summary>The node the hub connection is on now, when it last closed for good and when the class was joined on the next node (Stopwatch ticks; 0: never).</summary>
    public BenchNode HubNode { get; private set; }

    public long HubClosedAt { get; private set; }

    public long HubMovedAt { get; private set; }

    public static async Task<TeacherClient> StartAsync(BenchNode node, BenchClass k, DtlsCertificate certificate, Func<int, BenchNode?> nodeByMediaPort,
        IReadOnlyList<BenchNode> nodes)
    {
        var hub = PageHub.Build(node, k.Teacher.Token);
        hub.ServerTimeout = TimeSpan.FromSeconds(60);
        await hub.StartAsync();
        var view = await hub.InvokeCoreAsync<JsonElement>("JoinClass", [k.ClassId]);
        var (peer, port, _) = await PublishAsync(hub, k.ClassId, certificate, 0, CancellationToken.None);
        var teacher = new TeacherClient(hub, k, certificate, nodeByMediaPort, nodes, peer, nodeByMediaPort(port), node);
        teacher._self.Joined(view);
        teacher.Wire(hub);
        return teacher;
    }

    private void Wire(HubConnection hub)
    {
        hub.On<JsonElement>("RoomEvent", e => Follow(_self.Event(e)));
        hub.On<JsonElement>("RoomEvents", b => Follow(_self.Batch(b)));
        hub.Reconnected += connectionId =>
        {
            _ = RejoinAsync();
            return Task.CompletedTask;
        };
        // As the console page in a cluster (PageHub): closed for good on its node, it starts over on the next one, joins
        // and publishes again (RoomConnection.onclose → restart → join → onJoined).
        hub.Closed += error =>
        {
            _ = MoveHubAsync(hub);
            return Task.CompletedTask;
        };
    }

    private async Task MoveHubAsync(HubConnection closed)
    {
        if (_disposed || closed != _hub)
        {
            return;
        }
        HubClosedAt = Stopwatch.GetTimestamp();
        var node = HubNode;
        using var budget = new CancellationTokenSource(RejoinBudget);
        while (!_disposed && !budget.IsCancellationRequested)
        {
            node = PageHub.After(_nodes, node);
            var hub = PageHub.Build(node, _class.Teacher.Token);
            hub.ServerTimeout = TimeSpan.FromSeconds(60);
            try
            {
                using var start = CancellationTokenSource.CreateLinkedTokenSource(budget.Token);
                start.CancelAfter(PageHub.StartTimeout);
                await hub.StartAsync(start.Token);
                _self.Joined(await hub.InvokeCoreAsync<JsonElement>("JoinClass", [_class.ClassId], budget.Token));
                HubMovedAt = Stopwatch.GetTimestamp();
                _hub = hub;
                HubNode = node;
                Wire(hub);
                break;
            }
            catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException or IOException or HttpRequestException
                or System.Net.WebSockets.WebSocketException or OperationCanceledException)
            {
                LastError = ex;
                await hub.DisposeAsync();
                await Task.Delay(PageHub.NextNodeDelay, CancellationToken.None);
            }
        }
        await closed.DisposeAsync();
        if (_hub != closed)
        {
            await RejoinAsync(joined: true);
        }
    }

    private static async Task<(SyntheticPeer Peer, int Port, long AnsweredAt)> PublishAsync(HubConnection hub, string classId, DtlsCertificate certificate, uint generation, CancellationToken ct)
    {
        // A fresh peer has a certificate of its own, as a browser's new RTCPeerConnection (see CascadeClassroom.NextCertificate).
        var peer = new SyntheticPeer(generation == 0 ? certificate : DtlsCertificate.Generate("cascade-teacher"), new IPEndPoint(IPAddress.Loopback, 9), 1);
        try
        {
            var offer = peer.Offer(true, SimulcastTeacher.AudioSsrc(generation), 0, 0, rids: SimulcastTeacher.Rids);
            var description = new { publish = new { camera = "1", microphone = "0" }, receiveSlots = Array.Empty<object>() };
            var result = await hub.InvokeCoreAsync<JsonElement>("Negotiate", [classId, offer, description], ct);
            var answeredAt = Stopwatch.GetTimestamp();
            var answer = result.GetProperty("sdpAnswer").GetString()!;
            peer.Server = AnswerTarget.Parse(answer);
            var port = peer.Server.Port;
            await Task.Factory.StartNew(() => peer.Connect(answer, SrtpProtectionProfileId.AeadAes128Gcm), ct, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            return (peer, port, answeredAt);
        }
        catch
        {
            peer.Dispose();
            throw;
        }
    }

    private void Follow(ClassSelfWatch.Outcome outcome)
    {
        if (outcome == ClassSelfWatch.Outcome.Gap)
        {
            _ = ResyncAsync();
        }
        else if (outcome == ClassSelfWatch.Outcome.Applied && _self.Dropped)
        {
            _ = RejoinAsync();
        }
    }

    private async Task ResyncAsync()
    {
        try
        {
            _self.Joined(await _hub.InvokeCoreAsync<JsonElement>("Resync", [_class.ClassId]));
            if (_self.Dropped)
            {
                await RejoinAsync();
            }
        }
        catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException or OperationCanceledException)
        {
            LastError = ex;
        }
    }

    /// <summary>JoinClass again, then publish on a fresh peer; refusals retried with the page's back-off (twice at once, then 1, 2, 4, 8, 10 s).</summary>
    private async Task RejoinAsync(bool joined = false)
    {
        if (_disposed || Interlocked.Exchange(ref _rejoining, 1) == 1)
        {
            return;
        }
        try
        {
            Rejoins++;
            using var budget = new CancellationTokenSource(RejoinBudget);
            for (var attempt = 1; !joined; attempt++)
            {
                try
                {
                    _self.Joined(await _hub.InvokeCoreAsync<JsonElement>("JoinClass", [_class.ClassId], budget.Token));
                    break;
                }
                catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException && !budget.IsCancellationRequested)
                {
                    LastError = ex;
                    await Task.Delay(TimeSpan.FromSeconds(2), budget.Token);
                }
            }
            for (var round = 1; ; round++)
            {
                for (var i = 0; i < 2; i++)
                {
                    try
                    {
                        var generation = ++_generation;
                        PublishOffers++;
                        PublishAskedAt = Stopwatch.GetTimestamp();
                        var (peer, port, answeredAt) = await PublishAsync(_hub, _class.ClassId, _certificate, generation, budget.Token);
                        PublishAnsweredAt = answeredAt;
                        var old = _peer;
                        _peer = peer;
                        Sender.Replace(peer, generation);
                        MediaNode = _nodeByMediaPort(port);
                        RepublishedAt = Stopwatch.GetTimestamp();
                        old.Dispose();
                        return;
                    }
                    catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException or IOException && !budget.IsCancellationRequested)
                    {
                        LastError = ex;
                    }
                }
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(10_000, 1000 * Math.Pow(2, round - 1))), budget.Token);
            }
        }
        catch (OperationCanceledException ex)
        {
            LastError = ex;
        }
        finally
        {
            Volatile.Write(ref _rejoining, 0);
        }
    }

    public void Dispose()
    {
        _disposed = true;
        _consent.Dispose();
        Sender.Dispose();
        _peer.Dispose();
        _hub.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(5));
    }
}
