using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;

namespace LiveClassroom.Media.Stun;

// RFC 5389 §6 (header), §15 (attributes), §15.4 (MESSAGE-INTEGRITY), §15.5 (FINGERPRINT);
// RFC 8445 §7.1.1–7.1.3 (PRIORITY, USE-CANDIDATE, ICE-CONTROLLING/CONTROLLED).
/// <summary>
/// A parsed view over one STUN message. Parsing walks the attributes once and remembers where the
/// ones ICE needs are; the view borrows the caller's bytes and allocates nothing.
/// </summary>
internal readonly ref struct StunMessage
{
    public const int HeaderLength = 20;
    public const uint MagicCookie = 0x2112A442;
    public const uint FingerprintXor = 0x5354554E;
    public const int MessageIntegrityLength = 20;
    private const int NotPresent = -1;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _usernameOffset;
    private readonly int _usernameLength;
    private readonly int _integrityAttributeOffset;
    private readonly int _fingerprintAttributeOffset;
    private readonly int _xorMappedOffset;
    private readonly int _xorMappedLength;
    private readonly int _errorOffset;
    private readonly int _errorLength;
    private readonly int _softwareOffset;
    private readonly int _softwareLength;

    private StunMessage(
        ReadOnlySpan<byte> data,
        int usernameOffset, int usernameLength,
        int integrityAttributeOffset, int fingerprintAttributeOffset,
        int xorMappedOffset, int xorMappedLength,
        int errorOffset, int errorLength,
        int softwareOffset, int softwareLength,
        uint priority, bool hasPriority, bool useCandidate,
        ulong controllingTieBreaker, bool hasControlling,
        ulong controlledTieBreaker, bool hasControlled,
        ushort firstUnknownRequired)
    {
        _data = data;
        _usernameOffset = usernameOffset;
        _usernameLength = usernameLength;
        _integrityAttributeOffset = integrityAttributeOffset;
        _fingerprintAttributeOffset = fingerprintAttributeOffset;
        _xorMappedOffset = xorMappedOffset;
        _xorMappedLength = xorMappedLength;
        _errorOffset = errorOffset;
        _errorLength = errorLength;
        _softwareOffset = softwareOffset;
        _softwareLength = softwareLength;
        Priority = priority;
        HasPriority = hasPriority;
        UseCandidate = useCandidate;
        IceControllingTieBreaker = controllingTieBreaker;
        HasIceControlling = hasControlling;
        IceControlledTieBreaker = controlledTieBreaker;
        HasIceControlled = hasControlled;
        FirstUnknownComprehensionRequired = firstUnknownRequired;
    }

    /// <summary>The whole message (header + attributes).</summary>
    public ReadOnlySpan<byte> Data => _data;

    public ushort RawType => BinaryPrimitives.ReadUInt16BigEndian(_data);

    public StunMessageType Type => (StunMessageType)RawType;

    /// <summary>Method bits (0x001 = Binding), class bits stripped.</summary>
    public ushort Method => (ushort)((RawType & 0x000F) | ((RawType & 0x00E0) >> 1) | ((RawType & 0x3E00) >> 2));

    public bool IsRequest => (RawType & 0x0110) == 0x0000;

    public bool IsIndication => (RawType & 0x0110) == 0x0010;

    public bool IsSuccessResponse => (RawType & 0x0110) == 0x0100;

    public bool IsErrorResponse => (RawType & 0x0110) == 0x0110;

    public ReadOnlySpan<byte> TransactionId => _data.Slice(8, 12);

    public bool HasUsername => _usernameOffset != NotPresent;

    /// <summary>USERNAME value as UTF-8 bytes (ICE: "localUfrag:remoteUfrag" from the receiver's point of view).</summary>
    public ReadOnlySpan<byte> Username => HasUsername ? _data.Slice(_usernameOffset, _usernameLength) : default;

    public bool HasMessageIntegrity => _integrityAttributeOffset != NotPresent;

    public bool HasFingerprint => _fingerprintAttributeOffset != NotPresent;

    public bool HasXorMappedAddress => _xorMappedOffset != NotPresent;

    public bool HasErrorCode => _errorOffset != NotPresent;

    public bool HasSoftware => _softwareOffset != NotPresent;

    public ReadOnlySpan<byte> Software => HasSoftware ? _data.Slice(_softwareOffset, _softwareLength) : default;

    public uint Priority { get; }

    public bool HasPriority { get; }

    public bool UseCandidate { get; }

    public ulong IceControllingTieBreaker { get; }

    public bool HasIceControlling { get; }

    public ulong IceControlledTieBreaker { get; }

    public bool HasIceControlled { get; }

    /// <summary>An attribute type below 0x8000 this parser does not know, or 0 (RFC 5389 §7.3.1: answer 420).</summary>
    public ushort FirstUnknownComprehensionRequired { get; }

    /// <summary>ERROR-CODE as class*100+number, or 0.</summary>
    public int ErrorCode => HasErrorCode && _errorLength >= 4
        ? ((_data[_errorOffset + 2] & 0x07) * 100) + _data[_errorOffset + 3]
        : 0;

    public ReadOnlySpan<byte> ErrorReason => HasErrorCode && _errorLength > 4
        ? _data.Slice(_errorOffset + 4, _errorLength - 4)
        : default;

    /// <summary>Quick test on the first bytes (RFC 5389 §6 + §7.3): two zero bits, magic cookie, aligned length.</summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> data) =>
        data.Length >= HeaderLength
        && (data[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(data[4..]) == MagicCookie
        && (BinaryPrimitives.ReadUInt16BigEndian(data[2..]) & 3) == 0;

    public static StunParseError TryParse(ReadOnlySpan<byte> data, out StunMessage message)
    {
        message = default;
        if (data.Length < HeaderLength)
        {
            return StunParseError.TooShort;
        }
        if ((data[0] & 0xC0) != 0)
        {
            return StunParseError.NotStun;
        }
        if (BinaryPrimitives.ReadUInt32BigEndian(data[4..]) != MagicCookie)
        {
            return StunParseError.BadMagicCookie;
        }
        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(data[2..]);
        if ((bodyLength & 3) != 0)
        {
            return StunParseError.LengthNotAligned;
        }
        if (HeaderLength + bodyLength != data.Length)
        {
            return StunParseError.LengthMismatch;
        }

        int usernameOffset = NotPresent, usernameLength = 0, integrity = NotPresent, fingerprint = NotPresent;
        int xorOffset = NotPresent, xorLength = 0, errorOffset = NotPresent, errorLength = 0;
        int softwareOffset = NotPresent, softwareLength = 0;
        uint priority = 0;
        bool hasPriority = false, useCandidate = false, hasControlling = false, hasControlled = false;
        ulong controlling = 0, controlled = 0;
        ushort unknown = 0;

        var pos = HeaderLength;
        while (pos < data.Length)
        {
            if (data.Length - pos < 4)
            {
                return StunParseError.AttributeOverrun;
            }
            var type = BinaryPrimitives.ReadUInt16BigEndian(data[pos..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(pos + 2)..]);
            var valueOffset = pos + 4;
            var padded = (length + 3) & ~3;
            if (padded > data.Length - valueOffset)
            {
                return StunParseError.AttributeOverrun;
            }
            if (fingerprint != NotPresent)
            {
                // §15.5: FINGERPRINT must be the last attribute.
                return StunParseError.BadFingerprintPosition;
            }
            var value = data.Slice(valueOffset, length);

            if (type == StunAttributeType.Fingerprint)
            {
                if (length != 4)
                {
                    return StunParseError.BadAttributeValue;
                }
                fingerprint = pos;
            }
            else if (integrity != NotPresent)
            {
                // §15.4: attributes after MESSAGE-INTEGRITY (other than FINGERPRINT) are ignored.
            }
            else
            {
                switch (type)
                {
                    case StunAttributeType.MessageIntegrity:
                        if (length != MessageIntegrityLength)
                        {
                            return StunParseError.BadAttributeValue;
                        }
                        integrity = pos;
                        break;
                    case StunAttributeType.Username:
                        if (length > 513)
                        {
                            return StunParseError.BadAttributeValue;
                        }
                        usernameOffset = valueOffset;
                        usernameLength = length;
                        break;
                    case StunAttributeType.XorMappedAddress:
                        if (length != 8 && length != 20)
                        {
                            return StunParseError.BadAttributeValue;
                        }
                        xorOffset = valueOffset;
                        xorLength = length;
                        break;
                    case StunAttributeType.ErrorCode:
                        if (length < 4)
                        {
                            return StunParseError.BadAttributeValue;
                        }
                        errorOffset = valueOffset;
                        errorLength = length;
                        break;
                    case StunAttributeType.Software:
                        softwareOffset = valueOffset;
                        softwareLength = length;
                        break;
                    case StunAttributeType.Priority:
                        if (length != 4)
                        {
                            return StunParseError.BadAttributeValue;
                        }
                        priority = BinaryPrimitives.ReadUInt32BigEndian(value);
                        hasPriority = true;
                        break;
                    case StunAttributeType.UseCandidate:
                        if (length != 0)
                        {
                            return StunParseError.BadAttributeValue;
                        }
                        useCandidate = true;
                        break;
                    case StunAttributeType.IceControlling:
                        if (length != 8)
                        {
                            return StunParseError.BadAttributeValue;
                        }
                        controlling = BinaryPrimitives.ReadUInt64BigEndian(value);
                        hasControlling = true;
                        break;
                    case StunAttributeType.IceControlled:
                        if (length != 8)
                        {
                            return StunParseError.BadAttributeValue;
                        }
                        controlled = BinaryPrimitives.ReadUInt64BigEndian(value);
                        hasControlled = true;
                        break;
                    case StunAttributeType.MappedAddress:
                    case StunAttributeType.UnknownAttributes:
                    case StunAttributeType.Realm:
                    case StunAttributeType.Nonce:
                    case StunAttributeType.MessageIntegritySha256:
                    case StunAttributeType.PasswordAlgorithm:
                    case StunAttributeType.UserHash:
                        // Known (RFC 8489) but not used by ICE with short-term credentials: understood, ignored.
                        break;
                    default:
                        if (unknown == 0 && StunAttributeType.IsComprehensionRequired(type))
                        {
                            unknown = type;
                        }
                        break;
                }
            }
            pos = valueOffset + padded;
        }

        message = new StunMessage(
            data, usernameOffset, usernameLength, integrity, fingerprint, xorOffset, xorLength,
            errorOffset, errorLength, softwareOffset, softwareLength, priority, hasPriority, useCandidate,
            controlling, hasControlling, controlled, hasControlled, unknown);
        return StunParseError.None;
    }

    /// <summary>RFC 5389 §15.5: CRC-32 of the message up to the attribute, xor 0x5354554E.</summary>
    public bool VerifyFingerprint()
    {
        if (!HasFingerprint)
        {
            return false;
        }
        // The length field already covers FINGERPRINT because it is the last attribute.
        var expected = BinaryPrimitives.ReadUInt32BigEndian(_data[(_fingerprintAttributeOffset + 4)..]);
        var actual = StunCrc32.Compute(_data[.._fingerprintAttributeOffset]) ^ FingerprintXor;
        return expected == actual;
    }

    /// <summary>
    /// RFC 5389 §15.4: HMAC-SHA1 over the message up to MESSAGE-INTEGRITY, with the header length
    /// rewritten to end just after MESSAGE-INTEGRITY (so a following FINGERPRINT is excluded).
    /// For ICE short-term credentials the key is the password's UTF-8 bytes.
    /// </summary>
    public bool VerifyMessageIntegrity(ReadOnlySpan<byte> key)
    {
        if (!HasMessageIntegrity)
        {
            return false;
        }
        Span<byte> header = stackalloc byte[HeaderLength];
        _data[..HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(_integrityAttributeOffset + 4 + MessageIntegrityLength - HeaderLength));
        Span<byte> mac = stackalloc byte[MessageIntegrityLength];
        ComputeIntegrity(key, header, _data[HeaderLength.._integrityAttributeOffset], mac);
        return CryptographicOperations.FixedTimeEquals(mac, _data.Slice(_integrityAttributeOffset + 4, MessageIntegrityLength));
    }

    /// <summary>Decodes XOR-MAPPED-ADDRESS (RFC 5389 §15.2). Allocates the IPEndPoint; not for the packet path.</summary>
    public bool TryGetXorMappedAddress(out IPEndPoint? endPoint)
    {
        endPoint = null;
        if (!HasXorMappedAddress)
        {
            return false;
        }
        var value = _data.Slice(_xorMappedOffset, _xorMappedLength);
        var family = value[1];
        var port = (ushort)(BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (MagicCookie >> 16));
        if (family == 0x01 && value.Length == 8)
        {
            Span<byte> address = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(address, BinaryPrimitives.ReadUInt32BigEndian(value[4..]) ^ MagicCookie);
            endPoint = new IPEndPoint(new IPAddress(address), port);
            return true;
        }
        if (family == 0x02 && value.Length == 20)
        {
            Span<byte> address = stackalloc byte[16];
            for (var i = 0; i < 16; i++)
            {
                address[i] = (byte)(value[4 + i] ^ _data[4 + i]);
            }
            endPoint = new IPEndPoint(new IPAddress(address), port);
            return true;
        }
        return false;
    }

    internal static void ComputeIntegrity(ReadOnlySpan<byte> key, ReadOnlySpan<byte> header, ReadOnlySpan<byte> attributes, Span<byte> mac)
    {
        // One-shot HMAC over a contiguous copy: IncrementalHash.CreateHMAC would allocate per message.
        var total = header.Length + attributes.Length;
        if (total <= 1280)
        {
            Span<byte> data = stackalloc byte[total];
            header.CopyTo(data);
            attributes.CopyTo(data[header.Length..]);
            HMACSHA1.HashData(key, data, mac);
            return;
        }
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
        hmac.AppendData(header);
        hmac.AppendData(attributes);
        hmac.GetHashAndReset(mac);
    }
}
