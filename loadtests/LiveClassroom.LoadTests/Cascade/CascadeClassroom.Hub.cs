using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using LiveClassroom.LoadTests.Cluster;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// The classroom's hub connection as the page keeps it in a cluster (<see cref="PageHub"/>): a dropped connection is
/// tried again on the same node (at once, after 1 s) and comes back there (<c>Reconnected</c>: join again); when it
/// closes, the page starts a connection on the next node of the deployment's list, joins the class there (its snapshot:
/// the resync) and renegotiates its media (RoomConnection.onclose → restart → connectOnce → join → onJoined). A node
/// that refuses is left for the next after 2 s.
/// </summary>
internal sealed partial class CascadeClassroom
{
    private static long _snapshotBytes;
    private int _moving;
    private bool _hubDown;

    /// <summary>Bytes of JSON in the JoinClass and Resync answers (snapshots) all classrooms received so far.</summary>
    public static long SnapshotBytes => Interlocked.Read(ref _snapshotBytes);

    /// <summary>The node the hub connection is on now.</summary>
    public BenchNode? HubNode { get; private set; }

    /// <summary>When the hub connection last closed for good on its node (Stopwatch ticks; 0: never).</summary>
    public long HubClosedAt { get; private set; }

    /// <summary>When the class was last joined on another node after a close (its snapshot received; Stopwatch ticks; 0: never).</summary>
    public long HubMovedAt { get; private set; }

    /// <summary>Connections started on another node after a close (each a start, successful or not).</summary>
    public int HubStarts { get; private set; }

    private async Task<HubConnection> StartHubAsync(BenchNode node, CancellationToken ct)
    {
        var hub = PageHub.Build(node, Identity.Token);
        hub.ServerTimeout = TimeSpan.FromSeconds(30);
        hub.HandshakeTimeout = TimeSpan.FromSeconds(30);
        hub.On<JsonElement>("RoomEvent", OnRoomEvent);
        hub.On<JsonElement>("RoomEvents", OnRoomEvents);
        hub.Reconnecting += _ =>
        {
            HubReconnects++;
            if (hub == _hub)
            {
                HubDown();
            }
            return Task.CompletedTask;
        };
        // As the page after a hub reconnect (RoomConnection.onreconnected): join the class again, then renegotiate.
        hub.Reconnected += connectionId =>
        {
            _ = RejoinAsync("hub reconnect");
            return Task.CompletedTask;
        };
        hub.Closed += error =>
        {
            if (hub == _hub)
            {
                HubDown();
            }
            _ = MoveHubAsync(hub);
            return Task.CompletedTask;
        };
        try
        {
            using var start = CancellationTokenSource.CreateLinkedTokenSource(ct);
            start.CancelAfter(PageHub.StartTimeout);
            await hub.StartAsync(start.Token);
        }
        catch
        {
            await hub.DisposeAsync();
            throw;
        }
        _hub = hub;
        HubNode = node;
        return hub;
    }

    /// <summary>The closed connection's replacement on the next node (then the one after, 2 s apart), joined, then a fresh peer.</summary>
    private async Task MoveHubAsync(HubConnection closed)
    {
        if (_stopped || closed != _hub || Interlocked.Exchange(ref _moving, 1) == 1)
        {
            return;
        }
        HubClosedAt = Stopwatch.GetTimestamp();
        try
        {
            using var budget = new CancellationTokenSource(ReplaceBudget);
            var node = HubNode!;
            while (!_stopped)
            {
                node = PageHub.After(_nodes, node);
                try
                {
                    HubStarts++;
                    var hub = await StartHubAsync(node, budget.Token);
                    await JoinClassAsync(hub, budget.Token);
                    HubMovedAt = RejoinedAt = Stopwatch.GetTimestamp();
                    Rejoins++;
                    break;
                }
                catch (Exception ex) when (ex is HubException or TimeoutException or InvalidOperationException or IOException or HttpRequestException
                    or System.Net.WebSockets.WebSocketException || (ex is OperationCanceledException && !budget.IsCancellationRequested))
                {
                    // RoomConnection.start: the next node after 2 s (the connection started there, if any, closes by itself).
                    LastError = ex;
                    if (_hub is { } started && started != closed)
                    {
                        await started.DisposeAsync();
                    }
                    await Task.Delay(PageHub.NextNodeDelay, budget.Token);
                }
            }
            RequestReplace("hub moved");
        }
        catch (OperationCanceledException ex)
        {
            LastError = ex;
        }
        finally
        {
            Volatile.Write(ref _moving, 0);
            await closed.DisposeAsync();
        }
    }

    /// <summary>
    /// <c>JoinClass</c> as the page sends it (RoomConnection.join): events received until its answer are held and applied
    /// after its snapshot (a gap left after that asks for a Resync); once answered the hub can carry offers again.
    /// </summary>
    private async Task JoinClassAsync(HubConnection hub, CancellationToken ct)
    {
        _self.BeginJoin();
        JsonElement view;
        try
        {
            view = Snapshot(await hub.InvokeCoreAsync<JsonElement>("JoinClass", [_classId], ct));
        }
        catch
        {
            _self.EndJoin(null);
            throw;
        }
        lock (_gate)
        {
            _hubDown = false;
        }
        if (_self.EndJoin(view) == ClassSelfWatch.Outcome.Gap)
        {
            _ = ResyncAsync();
        }
    }

    /// <summary>The hub connection dropped (reconnecting) or closed: no offer until a join is answered (RoomConnection: status).</summary>
    private void HubDown()
    {
        lock (_gate)
        {
            _hubDown = true;
        }
    }

    /// <summary>
    /// The hub can carry an offer: connected, joined, no join awaiting its answer (RoomConnection.inRoom). Otherwise the
    /// page holds its offers (MediaSession.negotiate) and renegotiates once the hub has joined again. Under <c>_gate</c>.
    /// </summary>
    private bool CanOffer => !_hubDown && !_self.Joining && _hub is { State: HubConnectionState.Connected };

    /// <summary>Counts a snapshot's JSON size (without copying it) and hands it on.</summary>
    private static JsonElement Snapshot(JsonElement view)
    {
        Interlocked.Add(ref _snapshotBytes, JsonMarshal.GetRawUtf8Value(view).Length);
        return view;
    }
}
