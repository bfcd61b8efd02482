using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace LiveClassroom.LoadTests.Cluster;

/// <summary>
/// One hub connection of the benchmark, behaving as the web client does with several nodes (docs/HUB.md): 10 s without
/// a message from its node (keep-alives included) counts as a hung node and it moves to the next node at once; after a
/// dropped socket it retries its own node twice (0 s, 1 s), each attempt getting 8 s, then moves on; on the new node
/// it joins the class again (retrying while the class moves); a connection that sees its own participant
/// <c>Reconnecting</c> (the class activated elsewhere) joins again. States: connecting → joined → moving → joined.
/// </summary>
internal sealed class ClassClient : IAsyncDisposable
{
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(8);
    private static readonly TimeSpan RejoinBudget = TimeSpan.FromSeconds(90);

    private readonly string _classId;
    private readonly IReadOnlyList<BenchNode> _nodes;
    private readonly Action<ClassClient, string, long> _onChat;
    private readonly HashSet<long> _seqs = [];
    private readonly Lock _gate = new();
    private HubConnection? _connection;
    private long _lastSeq;
    private int _rejoining;
    private volatile bool _disposed;

    public ClassClient(int index, BenchIdentity identity, string classId, IReadOnlyList<BenchNode> nodes, Action<ClassClient, string, long> onChat)
    {
        Index = index;
        Identity = identity;
        _classId = classId;
        _nodes = nodes;
        _onChat = onChat;
    }

    public int Index { get; }

    public string ClassId => _classId;

    /// <summary>Called for each <c>HandQueueChanged</c> event: (this, classroom id, change, received at).</summary>
    public Action<ClassClient, string, string, long>? OnHand { get; set; }

    /// <summary>Times the connection closed without the benchmark asking (each is an error in the soak).</summary>
    public int Closes { get; private set; }

    public BenchIdentity Identity { get; }

    /// <summary>The node this connection is (or was last) connected to.</summary>
    public BenchNode? Node { get; private set; }

    /// <summary>When (Stopwatch timestamp) the last <c>JoinClass</c> of this connection succeeded.</summary>
    public long JoinedAt { get; private set; }

    /// <summary>Times the connection moved to another node by itself.</summary>
    public int Moves { get; private set; }

    /// <summary>Events whose seq jumped past the next one (the web client would resync).</summary>
    public int Gaps { get; private set; }

    /// <summary>An event (same seq) delivered twice on this connection: exactly once is what the hub promises.</summary>
    public int DuplicateEvents { get; private set; }

    public Exception? LastError { get; private set; }

    public bool Connected => _connection?.State == HubConnectionState.Connected;

    public void ResetCounters()
    {
        lock (_gate)
        {
            Gaps = 0;
            DuplicateEvents = 0;
            Moves = 0;
        }
    }

    /// <summary>Connects to <paramref name="node"/> and joins the class.</summary>
    public async Task ConnectAndJoinAsync(BenchNode node, CancellationToken ct)
    {
        await ConnectAsync(node, ct);
        await JoinAsync(ct);
    }

    /// <summary>Leaves its node for <paramref name="node"/> on purpose (the benchmark's setup, not a failure).</summary>
    public async Task MoveToAsync(BenchNode node, CancellationToken ct)
    {
        await CloseAsync();
        await ConnectAndJoinAsync(node, ct);
    }

    public Task<JsonElement> InvokeAsync(string method, object?[] args, CancellationToken ct) =>
        (_connection ?? throw new InvalidOperationException("not connected")).InvokeCoreAsync<JsonElement>(method, args, ct);

    private async Task ConnectAsync(BenchNode node, CancellationToken ct)
    {
        var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(node.Url, "/hubs/classroom"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(Identity.Token))
            .Build();
        connection.ServerTimeout = TimeSpan.FromSeconds(10);
        connection.KeepAliveInterval = TimeSpan.FromSeconds(10);
        connection.HandshakeTimeout = AttemptTimeout;
        connection.On<JsonElement>("RoomEvent", OnRoomEvent);
        connection.Closed += error => OnClosedAsync(connection, error);
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(ct);
        attempt.CancelAfter(AttemptTimeout);
        try
        {
            await connection.StartAsync(attempt.Token);
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
        _connection = connection;
        Node = node;
    }

    /// <summary>JoinClass, retried while the class is unreachable (it is moving); its snapshot's sequence is the new baseline.</summary>
    private async Task JoinAsync(CancellationToken ct)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                var view = await InvokeAsync("JoinClass", [_classId], ct);
                var sequence = view.GetProperty("class").GetProperty("sequence").GetInt64();
                lock (_gate)
                {
                    _lastSeq = Math.Max(_lastSeq, sequence);
                }
                JoinedAt = Stopwatch.GetTimestamp();
                return;
            }
            catch (Exception ex) when (ex is HubException or TimeoutException && deadline.Elapsed < RejoinBudget && !ct.IsCancellationRequested)
            {
                LastError = ex;
                await Task.Delay(250, ct);
            }
        }
    }

    private void OnRoomEvent(JsonElement e)
    {
        var receivedAt = Stopwatch.GetTimestamp();
        var seq = e.GetProperty("seq").GetInt64();
        var type = e.GetProperty("type").GetString();
        var payload = e.GetProperty("payload");
        lock (_gate)
        {
            if (seq > _lastSeq + 1 && _lastSeq > 0)
            {
                Gaps++;
            }
            _lastSeq = Math.Max(_lastSeq, seq);
            if (!_seqs.Add(seq))
            {
                DuplicateEvents++;
                return;
            }
        }
        if (type == "ChatMessage")
        {
            _onChat(this, payload.GetProperty("text").GetString()!, receivedAt);
        }
        else if (type == "HandQueueChanged")
        {
            OnHand?.Invoke(this, payload.GetProperty("classroomId").GetString()!, payload.GetProperty("change").GetString()!, receivedAt);
        }
        else if (type == "ConnectionChanged"
            && payload.GetProperty("principalId").GetString() == Identity.PrincipalId
            && payload.GetProperty("connection").GetString() == "Reconnecting")
        {
            // The class activated on another node and counts this participant as gone: join again, as the page does.
            _ = RejoinAsync();
        }
    }

    private async Task RejoinAsync()
    {
        if (Interlocked.Exchange(ref _rejoining, 1) == 1)
        {
            return;
        }
        try
        {
            using var budget = new CancellationTokenSource(RejoinBudget);
            await JoinAsync(budget.Token);
        }
        catch (Exception ex) when (ex is HubException or TimeoutException or OperationCanceledException or InvalidOperationException)
        {
            LastError = ex;
        }
        finally
        {
            Volatile.Write(ref _rejoining, 0);
        }
    }

    private async Task OnClosedAsync(HubConnection closed, Exception? error)
    {
        if (_disposed || !ReferenceEquals(closed, _connection))
        {
            return;
        }
        var from = Node!;
        Closes++;
        // Not disposed inside its own Closed callback.
        _ = Task.Run(async () => await closed.DisposeAsync());
        // A hung node (server timeout) is left at once; a dropped socket gets two quick retries on the same node first.
        var candidates = new List<(BenchNode Node, TimeSpan Delay)>();
        if (error is not TimeoutException)
        {
            candidates.Add((from, TimeSpan.Zero));
            candidates.Add((from, TimeSpan.FromSeconds(1)));
        }
        var start = _nodes.ToList().IndexOf(from);
        for (var i = 1; i <= _nodes.Count; i++)
        {
            candidates.Add((_nodes[(start + i) % _nodes.Count], TimeSpan.Zero));
        }
        using var budget = new CancellationTokenSource(RejoinBudget);
        var round = 0;
        while (!budget.IsCancellationRequested && !_disposed)
        {
            // After the first pass, keep cycling through the other nodes.
            var (node, delay) = round < candidates.Count
                ? candidates[round]
                : (_nodes[(start + 1 + round) % _nodes.Count], TimeSpan.FromMilliseconds(500));
            round++;
            try
            {
                await Task.Delay(delay, budget.Token);
                await ConnectAsync(node, budget.Token);
                await JoinAsync(budget.Token);
                if (node != from)
                {
                    Moves++;
                }
                return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TimeoutException or OperationCanceledException or HubException or IOException or System.Net.WebSockets.WebSocketException)
            {
                LastError = ex;
            }
        }
    }

    private async Task CloseAsync()
    {
        var connection = _connection;
        _connection = null;
        if (connection is not null)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>From now on a closed connection is not replaced (the benchmark is ending).</summary>
    public void Stop() => _disposed = true;

    public async ValueTask DisposeAsync()
    {
        _disposed = true;
        await CloseAsync();
    }
}
