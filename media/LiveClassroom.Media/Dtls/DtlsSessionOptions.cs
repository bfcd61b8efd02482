namespace LiveClassroom.Media.Dtls;

internal sealed class DtlsSessionOptions
{
    /// <summary>First replay of our last flight when the peer stays silent (doubles to 1 s); BouncyCastle's own timer starts at 1 s and doubles to 60 s.</summary>
    public int InitialRetransmitMillis { get; init; } = 250;

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to keep reading DTLS after the handshake so a lost final flight gets resent.</summary>
    public TimeSpan PostHandshakeLinger { get; init; } = TimeSpan.FromSeconds(30);
}
