namespace LiveClassroom.Media.Dtls;

internal sealed class DtlsSessionOptions
{
    /// <summary>Longest wait before BouncyCastle resends its last flight during the handshake (its own timer starts at 1 s and doubles).</summary>
    public int RetransmitCapMillis { get; init; } = 250;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to keep reading DTLS after the handshake so a lost final flight gets resent.</summary>
    public TimeSpan PostHandshakeLinger { get; init; } = TimeSpan.FromSeconds(30);
}
