using System.Net;
using System.Net.Sockets;
using LiveClassroom.Media.Dtls;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;

namespace LiveClassroom.Media.Tests.Dtls;

/// <summary>
/// A DtlsSession server and a BouncyCastle DtlsClientProtocol client on two loopback UDP sockets, each socket read by a
/// thread that feeds the side's bounded queue; an optional drop rule emulates loss in both directions.
/// </summary>
internal sealed class DtlsLoopbackPair : IDisposable
{
    private readonly Socket _serverSocket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly Socket _clientSocket = new(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
    private readonly DtlsDatagramQueue _clientQueue;
    private readonly Func<bool>? _drop;
    private readonly Thread _serverReader;
    private readonly Thread _clientReader;
    private volatile bool _stopped;

    public DtlsLoopbackPair(DtlsCertificate serverCertificate, string expectedClientFingerprint, SrtpProtectionProfileId[] serverProfiles,
        Func<bool>? drop = null, DtlsSessionOptions? options = null)
    {
        _drop = drop;
        _serverSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        _clientSocket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var clientEndPoint = _clientSocket.LocalEndPoint!;
        var serverEndPoint = _serverSocket.LocalEndPoint!;
        Server = new DtlsSession(serverCertificate, expectedClientFingerprint, serverProfiles,
            (b, o, n) => SendMaybe(_serverSocket, b, o, n, clientEndPoint), options);
        _clientQueue = new DtlsDatagramQueue((b, o, n) => SendMaybe(_clientSocket, b, o, n, serverEndPoint), initialRetransmitMillis: 250);
        _serverReader = new Thread(() => Pump(_serverSocket, d => Server.Deliver(d))) { IsBackground = true };
        _clientReader = new Thread(() => Pump(_clientSocket, d => _clientQueue.TryEnqueue(d))) { IsBackground = true };
        _serverReader.Start();
        _clientReader.Start();
    }

    public DtlsSession Server { get; }

    public string ClientCounters => $"client sent={_clientQueue.Sent} received={_clientQueue.Received} dropped={_clientQueue.Dropped}";

    /// <summary>Runs the client handshake on the calling thread; returns the client's keys, or throws as BouncyCastle does.</summary>
    public DtlsSrtpKeyingMaterial Connect(DtlsSrtpClient client)
    {
        var protocol = new DtlsClientProtocol(new SecureRandom());
        _clientQueue.SetDeadline(TimeSpan.FromSeconds(20));
        protocol.Connect(client, _clientQueue);
        return client.KeyingMaterial ?? throw new InvalidOperationException("no keys");
    }

    private void SendMaybe(Socket socket, byte[] buffer, int offset, int length, EndPoint to)
    {
        if (_drop?.Invoke() == true || _stopped)
        {
            return;
        }
        socket.SendTo(buffer.AsSpan(offset, length), SocketFlags.None, to);
    }

    private void Pump(Socket socket, Action<byte[]> deliver)
    {
        var buffer = new byte[2048];
        socket.ReceiveTimeout = 200;
        while (!_stopped)
        {
            int n;
            try
            {
                n = socket.Receive(buffer);
            }
            catch (SocketException)
            {
                continue;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
            deliver(buffer.AsSpan(0, n).ToArray());
        }
    }

    public void Dispose()
    {
        _stopped = true;
        _serverReader.Join(1000);
        _clientReader.Join(1000);
        Server.Dispose();
        _clientQueue.Dispose();
        _serverSocket.Dispose();
        _clientSocket.Dispose();
    }
}
