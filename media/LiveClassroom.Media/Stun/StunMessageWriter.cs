using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LiveClassroom.Media.Stun;

// RFC 5389 §6 (header), §15 (attributes, 32-bit padding), §15.4/§15.5 (integrity, fingerprint).
/// <summary>
/// Writes one STUN message into a caller's buffer. Attributes are appended in call order;
/// <see cref="AddMessageIntegrity"/> then <see cref="AddFingerprint"/> must come last.
/// Running out of space sets <see cref="Failed"/> instead of throwing.
/// </summary>
internal ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private int _length;
    private bool _failed;

    public StunMessageWriter(Span<byte> buffer, StunMessageType type, ReadOnlySpan<byte> transactionId)
        : this(buffer, (ushort)type, transactionId)
    {
    }

    public StunMessageWriter(Span<byte> buffer, ushort rawType, ReadOnlySpan<byte> transactionId)
    {
        _buffer = buffer;
        if (buffer.Length < StunMessage.HeaderLength || transactionId.Length != 12)
        {
            _failed = true;
            return;
        }
        BinaryPrimitives.WriteUInt16BigEndian(buffer, rawType);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunMessage.MagicCookie);
        transactionId.CopyTo(buffer[8..]);
        _length = StunMessage.HeaderLength;
    }

    public readonly bool Failed => _failed;

    /// <summary>Bytes written so far, or -1 when the buffer was too small.</summary>
    public readonly int Length => _failed ? -1 : _length;

    public readonly ReadOnlySpan<byte> Written => _failed ? default : _buffer[.._length];

    public void AddUsername(scoped ReadOnlySpan<byte> utf8) => AddRaw(StunAttributeType.Username, utf8);

    public void AddUsername(string username)
    {
        Span<byte> bytes = stackalloc byte[513];
        if (!Encoding.UTF8.TryGetBytes(username, bytes, out var n))
        {
            _failed = true;
            return;
        }
        AddRaw(StunAttributeType.Username, bytes[..n]);
    }

    public void AddSoftware(string software)
    {
        Span<byte> bytes = stackalloc byte[256];
        if (!Encoding.UTF8.TryGetBytes(software, bytes, out var n))
        {
            _failed = true;
            return;
        }
        AddRaw(StunAttributeType.Software, bytes[..n]);
    }

    public void AddPriority(uint priority)
    {
        Span<byte> v = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(v, priority);
        AddRaw(StunAttributeType.Priority, v);
    }

    public void AddUseCandidate() => AddRaw(StunAttributeType.UseCandidate, default);

    public void AddIceControlling(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlling, tieBreaker);

    public void AddIceControlled(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlled, tieBreaker);

    /// <summary>RFC 5389 §15.6: class in hundreds, number modulo 100, reason phrase in UTF-8.</summary>
    public void AddErrorCode(int code, string reason)
    {
        Span<byte> v = stackalloc byte[4 + 128];
        v[0] = 0;
        v[1] = 0;
        v[2] = (byte)((code / 100) & 0x07);
        v[3] = (byte)(code % 100);
        if (!Encoding.UTF8.TryGetBytes(reason, v[4..], out var n))
        {
            _failed = true;
            return;
        }
        AddRaw(StunAttributeType.ErrorCode, v[..(4 + n)]);
    }

    /// <summary>RFC 5389 §15.2: port xor the cookie's top 16 bits; address xor cookie (IPv4) or cookie||transaction id (IPv6).</summary>
    public void AddXorMappedAddress(IPAddress address, int port)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        var v4 = address.AddressFamily == AddressFamily.InterNetwork;
        Span<byte> v = stackalloc byte[20];
        var valueLength = v4 ? 8 : 20;
        v[0] = 0;
        v[1] = (byte)(v4 ? 0x01 : 0x02);
        BinaryPrimitives.WriteUInt16BigEndian(v[2..], (ushort)(port ^ (int)(StunMessage.MagicCookie >> 16)));
        if (!address.TryWriteBytes(v[4..valueLength], out _) || _failed)
        {
            _failed = true;
            return;
        }
        // Bytes 4..19 of the header are the cookie followed by the transaction id.
        for (var i = 0; i < valueLength - 4; i++)
        {
            v[4 + i] ^= _buffer[4 + i];
        }
        AddRaw(StunAttributeType.XorMappedAddress, v[..valueLength]);
    }

    public void AddRaw(ushort type, scoped ReadOnlySpan<byte> value)
    {
        var padded = (value.Length + 3) & ~3;
        if (_failed || value.Length > ushort.MaxValue || _buffer.Length - _length < 4 + padded)
        {
            _failed = true;
            return;
        }
        var at = _buffer[_length..];
        BinaryPrimitives.WriteUInt16BigEndian(at, type);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], (ushort)value.Length);
        value.CopyTo(at[4..]);
        at.Slice(4 + value.Length, padded - value.Length).Clear();
        _length += 4 + padded;
        SetBodyLength(_length - StunMessage.HeaderLength);
    }

    /// <summary>RFC 5389 §15.4: HMAC-SHA1 keyed with <paramref name="key"/> (ICE: the password's UTF-8 bytes).</summary>
    public void AddMessageIntegrity(scoped ReadOnlySpan<byte> key)
    {
        if (_failed || _buffer.Length - _length < 4 + StunMessage.MessageIntegrityLength)
        {
            _failed = true;
            return;
        }
        var start = _length;
        SetBodyLength(start + 4 + StunMessage.MessageIntegrityLength - StunMessage.HeaderLength);
        var at = _buffer[start..];
        BinaryPrimitives.WriteUInt16BigEndian(at, StunAttributeType.MessageIntegrity);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], StunMessage.MessageIntegrityLength);
        StunMessage.ComputeIntegrity(key, _buffer[..StunMessage.HeaderLength], _buffer[StunMessage.HeaderLength..start], at.Slice(4, StunMessage.MessageIntegrityLength));
        _length = start + 4 + StunMessage.MessageIntegrityLength;
    }

    public void AddFingerprint()
    {
        if (_failed || _buffer.Length - _length < 8)
        {
            _failed = true;
            return;
        }
        var start = _length;
        SetBodyLength(start + 8 - StunMessage.HeaderLength);
        var crc = StunCrc32.Compute(_buffer[..start]) ^ StunMessage.FingerprintXor;
        var at = _buffer[start..];
        BinaryPrimitives.WriteUInt16BigEndian(at, StunAttributeType.Fingerprint);
        BinaryPrimitives.WriteUInt16BigEndian(at[2..], 4);
        BinaryPrimitives.WriteUInt32BigEndian(at[4..], crc);
        _length = start + 8;
    }

    private void AddUInt64(ushort type, ulong value)
    {
        Span<byte> v = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(v, value);
        AddRaw(type, v);
    }

    private readonly void SetBodyLength(int bodyLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)bodyLength);
}
