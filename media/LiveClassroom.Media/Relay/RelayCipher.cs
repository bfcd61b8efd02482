// AES-128-GCM (NIST SP 800-38D) over each relay datagram; the clear header is the associated data.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace LiveClassroom.Media.Relay;

/// <summary>
/// Seals and opens one link's datagrams. Wire: "LR", version, type, link id (4), direction bit + counter (8), then the
/// sealed body and a 16-byte tag. The nonce is the 12 bytes after the type, unique per key because each direction
/// counts on its own. Opening rejects replays with a 1,024-packet window (reordering on one hop stays far inside it).
/// Sealing is serialized by a lock (AesGcm is not for concurrent use); opening runs on the relay's receive thread only.
/// </summary>
internal sealed class RelayCipher : IDisposable
{
    public const int HeaderLength = 16;
    public const int TagLength = 16;
    public const int Overhead = HeaderLength + TagLength;
    private const ulong UpBit = 1UL << 63;
    private const int WindowWords = 16;

    private readonly AesGcm _seal;
    private readonly AesGcm _open;
    private readonly Lock _sealLock = new();
    private readonly uint _linkId;
    private readonly ulong _sendDirection;
    private readonly ulong _receiveDirection;
    private readonly ulong[] _window = new ulong[WindowWords];
    private ulong _sendCounter;
    private ulong _highest;
    private bool _any;

    public RelayCipher(uint linkId, ReadOnlySpan<byte> key, bool isOrigin)
    {
        if (key.Length != 16)
        {
            throw new ArgumentException("a relay key is 16 bytes (AES-128)", nameof(key));
        }
        _linkId = linkId;
        _seal = new AesGcm(key, TagLength);
        _open = new AesGcm(key, TagLength);
        _sendDirection = isOrigin ? 0 : UpBit;
        _receiveDirection = isOrigin ? UpBit : 0;
    }

    public uint LinkId => _linkId;

    public long ReplaysRejected { get; private set; }

    public long AuthenticationFailures { get; private set; }

    /// <summary>Reads the link id of a datagram, or false if it is not a relay datagram of this version.</summary>
    public static bool TryReadLinkId(ReadOnlySpan<byte> datagram, out uint linkId, out RelayMessageType type)
    {
        linkId = 0;
        type = 0;
        if (datagram.Length < Overhead || datagram[0] != (byte)'L' || datagram[1] != (byte)'R' || datagram[2] != 1)
        {
            return false;
        }
        type = (RelayMessageType)datagram[3];
        linkId = BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]);
        return true;
    }

    /// <summary>Seals <paramref name="body"/> (already at <c>destination[HeaderLength..]</c>, in place) and returns the datagram length.</summary>
    public int Seal(Span<byte> destination, RelayMessageType type, int bodyLength)
    {
        var header = destination[..HeaderLength];
        header[0] = (byte)'L';
        header[1] = (byte)'R';
        header[2] = 1;
        header[3] = (byte)type;
        BinaryPrimitives.WriteUInt32BigEndian(header[4..], _linkId);
        var body = destination.Slice(HeaderLength, bodyLength);
        var tag = destination.Slice(HeaderLength + bodyLength, TagLength);
        lock (_sealLock)
        {
            BinaryPrimitives.WriteUInt64BigEndian(header[8..], _sendDirection | ++_sendCounter);
            _seal.Encrypt(header[4..16], body, body, tag, header);
        }
        return HeaderLength + bodyLength + TagLength;
    }

    /// <summary>Opens a datagram in place; the body is <c>datagram[HeaderLength..(HeaderLength + bodyLength)]</c>.</summary>
    public bool TryOpen(Span<byte> datagram, out int bodyLength)
    {
        bodyLength = datagram.Length - Overhead;
        var header = datagram[..HeaderLength];
        var word = BinaryPrimitives.ReadUInt64BigEndian(header[8..]);
        if ((word & UpBit) != _receiveDirection || bodyLength < 0)
        {
            AuthenticationFailures++;
            return false;
        }
        var counter = word & ~UpBit;
        if (!Fresh(counter))
        {
            ReplaysRejected++;
            return false;
        }
        var body = datagram.Slice(HeaderLength, bodyLength);
        try
        {
            _open.Decrypt(header[4..16], body, datagram.Slice(HeaderLength + bodyLength, TagLength), body, header);
        }
        catch (AuthenticationTagMismatchException)
        {
            AuthenticationFailures++;
            return false;
        }
        Remember(counter);
        return true;
    }

    private bool Fresh(ulong counter)
    {
        if (!_any || counter > _highest)
        {
            return true;
        }
        var age = _highest - counter;
        if (age >= WindowWords * 64)
        {
            return false;
        }
        return (_window[(int)(counter / 64 % WindowWords)] & (1UL << (int)(counter % 64))) == 0;
    }

    private void Remember(ulong counter)
    {
        if (!_any || counter > _highest)
        {
            var from = _any ? _highest + 1 : counter;
            // Clear the words the window slides over (at most the whole window).
            if (counter - from >= WindowWords * 64)
            {
                Array.Clear(_window);
            }
            else
            {
                for (var c = from; c <= counter; c++)
                {
                    _window[(int)(c / 64 % WindowWords)] &= ~(1UL << (int)(c % 64));
                }
            }
            _highest = counter;
            _any = true;
        }
        _window[(int)(counter / 64 % WindowWords)] |= 1UL << (int)(counter % 64);
    }

    public void Dispose()
    {
        _seal.Dispose();
        _open.Dispose();
    }
}
