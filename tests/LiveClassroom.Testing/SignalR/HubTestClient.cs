using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LiveClassroom.Testing.SignalR;

/// <summary>
/// A SignalR client speaking the JSON hub protocol over a raw WebSocket (the .NET SignalR client is not
/// served here). States: connected after <see cref="ConnectAsync"/>'s handshake → closed (server close
/// message, socket close or dispose). Server-to-client invocations are queued; a test awaits the next
/// one of a given target with a bounded timeout.
/// </summary>
public sealed class HubTestClient : IAsyncDisposable
{
    public const char RecordSeparator = '\u001e';
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly List<HubEvent> _events = [];
    private readonly HashSet<int> _taken = [];
    private readonly TaskCompletionSource<string?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly StringBuilder _partial = new();
    private TaskCompletionSource _arrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _receiveLoop;
    private int _nextId;
    private int _disposed;

    private HubTestClient(WebSocket socket) => _socket = socket;

    /// <summary>Completes when the connection ends, with the server's close error (null for a clean close).</summary>
    public Task<string?> Closed => _closed.Task;

    public int PingsReceived { get; private set; }

    /// <summary>Every server-to-client invocation received so far, in arrival order.</summary>
    public IReadOnlyList<HubEvent> Events
    {
        get
        {
            lock (_events)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Performs the JSON protocol handshake on an open WebSocket.</summary>
    public static async Task<HubTestClient> ConnectAsync(WebSocket socket, CancellationToken ct = default)
    {
        var client = new HubTestClient(socket);
        await client.SendFrameAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator, ct);
        var first = await client.ReadRecordsAsync(ct);
        var handshake = first.Count > 0 ? JsonNode.Parse(first[0]) : null;
        if (handshake is null || handshake["error"] is { } err)
        {
            throw new InvalidOperationException("SignalR handshake failed: " + (handshake?["error"]?.ToString() ?? "no response"));
        }
        client._receiveLoop = Task.Run(() => client.ReceiveLoopAsync(first.Skip(1).ToList()));
        return client;
    }

    /// <summary>Connects a <see cref="ClientWebSocket"/> to <paramref name="hubUrl"/> with an access token, then handshakes.</summary>
    public static async Task<HubTestClient> ConnectAsync(Uri hubUrl, string? accessToken, CancellationToken ct = default)
    {
        var ws = new ClientWebSocket();
        var uri = WithToken(hubUrl, accessToken);
        try
        {
            await ws.ConnectAsync(uri, ct);
        }
        catch
        {
            ws.Dispose();
            throw;
        }
        return await ConnectAsync(ws, ct);
    }

    /// <summary>Rewrites http(s) to ws(s) and appends <c>access_token</c>.</summary>
    public static Uri WithToken(Uri hubUrl, string? accessToken)
    {
        var b = new UriBuilder(hubUrl) { Scheme = hubUrl.Scheme is "https" or "wss" ? "wss" : "ws" };
        if (!string.IsNullOrEmpty(accessToken))
        {
            b.Query = "access_token=" + Uri.EscapeDataString(accessToken);
        }
        return b.Uri;
    }

    /// <summary>Invokes a hub method and returns its result; a completion with an error throws <see cref="HubInvocationException"/>.</summary>
    public async Task<JsonNode?> InvokeAsync(string method, params object?[] args)
    {
        var id = Interlocked.Increment(ref _nextId).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var tcs = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = tcs;
        var message = new JsonObject
        {
            ["type"] = 1,
            ["invocationId"] = id,
            ["target"] = method,
            ["arguments"] = JsonSerializer.SerializeToNode(args, Json),
        };
        await SendFrameAsync(message.ToJsonString() + RecordSeparator, CancellationToken.None);
        var done = await Task.WhenAny(tcs.Task, Task.Delay(DefaultTimeout));
        if (done != tcs.Task)
        {
            _pending.TryRemove(id, out _);
            throw new TimeoutException($"no completion for {method} within {DefaultTimeout.TotalSeconds} s");
        }
        return await tcs.Task;
    }

    public async Task<T> InvokeAsync<T>(string method, params object?[] args)
    {
        var node = await InvokeAsync(method, args);
        return node.Deserialize<T>(Json) ?? throw new InvalidOperationException($"{method} returned null");
    }

    /// <summary>Sends arbitrary text as one frame (for malformed or oversized messages).</summary>
    public Task SendRawAsync(string text) => SendFrameAsync(text, CancellationToken.None);

    /// <summary>The next not-yet-taken event with this target (and matching <paramref name="filter"/>), waiting up to <paramref name="timeout"/>.</summary>
    public Task<HubEvent> NextEventAsync(string target, Func<HubEvent, bool>? filter = null, TimeSpan? timeout = null) =>
        WaitForAsync(() =>
        {
            for (var i = 0; i < _events.Count; i++)
            {
                if (!_taken.Contains(i) && _events[i].Target == target && (filter is null || filter(_events[i])))
                {
                    _taken.Add(i);
                    return _events[i];
                }
            }
            return null;
        }, target + " event", timeout);

    /// <summary>
    /// Waits until <paramref name="done"/> holds for the events received so far (checked on every arrival), up to
    /// <paramref name="timeout"/>: for what is not one invocation per item (several class events in one message).
    /// </summary>
    public Task WaitUntilAsync(Func<IReadOnlyList<HubEvent>, bool> done, string what, TimeSpan? timeout = null) =>
        WaitForAsync(() => done(_events) ? _events : null, what, timeout);

    /// <summary>Checks <paramref name="found"/> under the events' lock on every arrival until it returns something, up to <paramref name="timeout"/>.</summary>
    private async Task<T> WaitForAsync<T>(Func<T?> found, string what, TimeSpan? timeout)
        where T : class
    {
        using var cts = new CancellationTokenSource(timeout ?? DefaultTimeout);
        while (true)
        {
            Task arrived;
            lock (_events)
            {
                if (found() is { } result)
                {
                    return result;
                }
                arrived = _arrived.Task;
            }
            if (_closed.Task.IsCompleted)
            {
                throw new InvalidOperationException($"connection closed ({_closed.Task.Result}) while waiting for {what}");
            }
            try
            {
                await arrived.WaitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {what} within {(timeout ?? DefaultTimeout).TotalSeconds} s; received: "
                    + string.Join(", ", Events.Select(e => e.Describe())));
            }
        }
    }

    /// <summary>Waits until the server closes the connection; returns its close error.</summary>
    public async Task<string?> WaitClosedAsync(TimeSpan? timeout = null) =>
        await _closed.Task.WaitAsync(timeout ?? DefaultTimeout);

    private async Task ReceiveLoopAsync(List<string> leftover)
    {
        string? closeError = null;
        try
        {
            foreach (var record in leftover)
            {
                Dispatch(record, ref closeError);
            }
            while (!_stop.IsCancellationRequested)
            {
                var records = await ReadRecordsAsync(_stop.Token);
                if (records.Count == 0)
                {
                    break;
                }
                foreach (var record in records)
                {
                    Dispatch(record, ref closeError);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            closeError ??= "socket: " + ex.Message;
        }
        foreach (var (id, tcs) in _pending)
        {
            tcs.TrySetException(new HubInvocationException("connection closed" + (closeError is null ? "" : ": " + closeError)));
            _pending.TryRemove(id, out _);
        }
        _closed.TrySetResult(closeError);
        Signal();
    }

    private void Dispatch(string record, ref string? closeError)
    {
        var msg = JsonNode.Parse(record)!;
        switch ((int)msg["type"]!)
        {
            case 1 when msg["invocationId"] is null:
                lock (_events)
                {
                    _events.Add(new HubEvent(msg["target"]!.GetValue<string>(), msg["arguments"]!.AsArray()));
                }
                Signal();
                break;
            case 3:
                if (_pending.TryRemove(msg["invocationId"]!.GetValue<string>(), out var tcs))
                {
                    if (msg["error"] is { } error)
                    {
                        tcs.TrySetException(new HubInvocationException(error.GetValue<string>()));
                    }
                    else
                    {
                        tcs.TrySetResult(msg["result"]?.DeepClone());
                    }
                }
                break;
            case 6:
                PingsReceived++;
                break;
            case 7:
                closeError = msg["error"]?.GetValue<string>() ?? closeError;
                _stop.Cancel();
                break;
            default:
                break;
        }
    }

    private void Signal()
    {
        TaskCompletionSource old;
        lock (_events)
        {
            old = _arrived;
            _arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        old.TrySetResult();
    }

    // Reads one WebSocket message (possibly several frames) and splits it into protocol records.
    private async Task<List<string>> ReadRecordsAsync(CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            using var ms = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await _socket.ReceiveAsync(new ArraySegment<byte>(buffer), ct);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return [];
                }
                ms.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            _partial.Append(Encoding.UTF8.GetString(ms.GetBuffer(), 0, (int)ms.Length));
            var text = _partial.ToString();
            var last = text.LastIndexOf(RecordSeparator);
            if (last < 0)
            {
                return await ReadRecordsAsync(ct);
            }
            _partial.Clear().Append(text[(last + 1)..]);
            return [.. text[..last].Split(RecordSeparator)];
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendFrameAsync(string text, CancellationToken ct)
    {
        await _sendLock.WaitAsync(ct);
        try
        {
            await _socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, ct);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        if (_socket.State == WebSocketState.Open)
        {
            try
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, cts.Token);
            }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // Already gone: nothing to close.
            }
        }
        await _stop.CancelAsync();
        if (_receiveLoop is not null)
        {
            await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        _socket.Dispose();
        _stop.Dispose();
        _sendLock.Dispose();
    }
}
