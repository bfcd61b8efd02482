using System.Net.WebSockets;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// A hub connection's WebSocket that counts the bytes it receives (message payloads as they come off the socket,
/// WebSocket framing excluded): what the server sent the synthetic pages, summed over every connection of this process.
/// Given to SignalR through <c>HttpConnectionOptions.WebSocketFactory</c>, which then owns the socket.
/// </summary>
internal sealed class CountingWebSocket(ClientWebSocket inner) : WebSocket
{
    private static long _received;

    /// <summary>Bytes received by every counting socket of this process so far.</summary>
    public static long Received => Interlocked.Read(ref _received);

    /// <summary>Connects a counting socket with the page's bearer token (as SignalR's own factory does for a non-browser client).</summary>
    public static async ValueTask<WebSocket> ConnectAsync(Uri uri, string token, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        try
        {
            await socket.ConnectAsync(uri, ct);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        return new CountingWebSocket(socket);
    }

    public override WebSocketCloseStatus? CloseStatus => inner.CloseStatus;

    public override string? CloseStatusDescription => inner.CloseStatusDescription;

    public override WebSocketState State => inner.State;

    public override string? SubProtocol => inner.SubProtocol;

    public override void Abort() => inner.Abort();

    public override Task CloseAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseAsync(closeStatus, statusDescription, cancellationToken);

    public override Task CloseOutputAsync(WebSocketCloseStatus closeStatus, string? statusDescription, CancellationToken cancellationToken) =>
        inner.CloseOutputAsync(closeStatus, statusDescription, cancellationToken);

    public override void Dispose() => inner.Dispose();

    public override async Task<WebSocketReceiveResult> ReceiveAsync(ArraySegment<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await inner.ReceiveAsync(buffer, cancellationToken);
        Interlocked.Add(ref _received, result.Count);
        return result;
    }

    public override async ValueTask<ValueWebSocketReceiveResult> ReceiveAsync(Memory<byte> buffer, CancellationToken cancellationToken)
    {
        var result = await inner.ReceiveAsync(buffer, cancellationToken);
        Interlocked.Add(ref _received, result.Count);
        return result;
    }

    public override Task SendAsync(ArraySegment<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);

    public override ValueTask SendAsync(ReadOnlyMemory<byte> buffer, WebSocketMessageType messageType, bool endOfMessage, CancellationToken cancellationToken) =>
        inner.SendAsync(buffer, messageType, endOfMessage, cancellationToken);
}
