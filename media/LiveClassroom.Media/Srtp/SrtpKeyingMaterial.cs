namespace LiveClassroom.Media.Srtp;

// RFC 5764 §4.2: the exporter output is client_write_key || server_write_key || client_write_salt || server_write_salt.
/// <summary>The two directions' master keys and salts after a DTLS-SRTP handshake.</summary>
internal sealed class SrtpKeyingMaterial
{
    private SrtpKeyingMaterial(SrtpProfile profile, byte[] clientKey, byte[] clientSalt, byte[] serverKey, byte[] serverSalt)
    {
        Profile = profile;
        ClientWriteKey = clientKey;
        ClientWriteSalt = clientSalt;
        ServerWriteKey = serverKey;
        ServerWriteSalt = serverSalt;
    }

    public SrtpProfile Profile { get; }

    public byte[] ClientWriteKey { get; }

    public byte[] ClientWriteSalt { get; }

    public byte[] ServerWriteKey { get; }

    public byte[] ServerWriteSalt { get; }

    public static SrtpKeyingMaterial Split(SrtpProfile profile, ReadOnlySpan<byte> exporterOutput)
    {
        if (!SrtpProfileInfo.IsSupported(profile))
        {
            throw new ArgumentOutOfRangeException(nameof(profile));
        }
        var k = SrtpProfileInfo.KeyLength(profile);
        var s = SrtpProfileInfo.SaltLength(profile);
        if (exporterOutput.Length != 2 * (k + s))
        {
            throw new ArgumentException($"expected {2 * (k + s)} bytes of keying material", nameof(exporterOutput));
        }
        return new SrtpKeyingMaterial(
            profile,
            exporterOutput[..k].ToArray(),
            exporterOutput.Slice(2 * k, s).ToArray(),
            exporterOutput.Slice(k, k).ToArray(),
            exporterOutput.Slice((2 * k) + s, s).ToArray());
    }

    /// <summary>
    /// The context that protects what this side sends. The DTLS server (the SFU, since Chrome answers
    /// setup:active) encrypts with the server keys and decrypts with the client keys.
    /// </summary>
    public SrtpContext CreateSendContext(bool isDtlsServer) => isDtlsServer
        ? SrtpContext.Create(Profile, ServerWriteKey, ServerWriteSalt)
        : SrtpContext.Create(Profile, ClientWriteKey, ClientWriteSalt);

    public SrtpContext CreateReceiveContext(bool isDtlsServer) => isDtlsServer
        ? SrtpContext.Create(Profile, ClientWriteKey, ClientWriteSalt)
        : SrtpContext.Create(Profile, ServerWriteKey, ServerWriteSalt);
}
