using System.Numerics;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace LiveClassroom.Media.Srtp;

// RFC 3711 §4.1.1: AES in counter mode; the 128-bit counter block is IV || 16-bit block counter.
/// <summary>
/// AES-CM keystream from a cached ECB transform and reused counter/keystream arrays (one-shot
/// Aes.EncryptEcb allocates per call). Not thread-safe.
/// </summary>
internal sealed class SrtpAesCounterMode : IDisposable
{
    // Covers a full-size packet in one ECB call; longer inputs loop.
    private const int ChunkBytes = 2048;

    private readonly Aes _aes;
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counters = new byte[ChunkBytes];
    private readonly byte[] _keystream = new byte[ChunkBytes];

    public SrtpAesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
    }

    /// <summary>XORs <paramref name="data"/> with the keystream that starts at counter block iv14 || 0x0000.</summary>
    public void Apply(ReadOnlySpan<byte> iv14, Span<byte> data)
    {
        var counter = 0;
        var offset = 0;
        while (offset < data.Length)
        {
            var n = Math.Min(ChunkBytes, data.Length - offset);
            var blocks = (n + 15) >> 4;
            for (var b = 0; b < blocks; b++, counter++)
            {
                var block = _counters.AsSpan(b << 4, 16);
                iv14.CopyTo(block);
                block[14] = (byte)(counter >> 8);
                block[15] = (byte)counter;
            }
            _ecb.TransformBlock(_counters, 0, blocks << 4, _keystream, 0);
            Xor(data.Slice(offset, n), _keystream);
            offset += n;
        }
    }

    /// <summary>Writes raw keystream (for test vectors).</summary>
    public void Keystream(ReadOnlySpan<byte> iv14, Span<byte> output)
    {
        output.Clear();
        Apply(iv14, output);
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        var i = 0;
        if (Vector.IsHardwareAccelerated && data.Length >= Vector<byte>.Count)
        {
            var dv = MemoryMarshal.Cast<byte, Vector<byte>>(data);
            var kv = MemoryMarshal.Cast<byte, Vector<byte>>(keystream[..data.Length]);
            for (var v = 0; v < dv.Length; v++)
            {
                dv[v] ^= kv[v];
            }
            i = dv.Length * Vector<byte>.Count;
        }
        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }
}
