namespace LiveClassroom.Media.Rtp;

// RFC 8285 §4.2 (one-byte header: profile 0xBEDE, ID 1–14, L+1 data bytes, ID 0 = padding, ID 15 = stop)
// and §4.3 (two-byte header: profile 0x100 + 4 app bits, ID byte, length byte, ID 0 = padding).
/// <summary>Walks the extension elements of a parsed packet; stops (and sets <see cref="IsMalformed"/>) on overruns.</summary>
internal ref struct RtpExtensionEnumerator
{
    public const ushort OneByteProfile = 0xBEDE;
    public const ushort TwoByteProfile = 0x1000;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _end;
    private readonly bool _twoByte;
    private int _pos;

    public RtpExtensionEnumerator(ReadOnlySpan<byte> packet, in RtpHeader header)
    {
        _packet = packet;
        _pos = header.ExtensionOffset;
        _end = header.ExtensionOffset + header.ExtensionLength;
        IsSupportedProfile = header.HasExtension && (header.ExtensionProfile == OneByteProfile || (header.ExtensionProfile & 0xFFF0) == TwoByteProfile);
        _twoByte = header.ExtensionProfile != OneByteProfile;
        if (!IsSupportedProfile || _end > packet.Length)
        {
            _pos = _end = 0;
        }
        Current = default;
        IsMalformed = false;
    }

    public RtpExtensionElement Current { get; private set; }

    public bool IsMalformed { get; private set; }

    /// <summary>False for packets without an extension or with a profile other than RFC 8285's two.</summary>
    public bool IsSupportedProfile { get; }

    public readonly RtpExtensionEnumerator GetEnumerator() => this;

    public bool MoveNext()
    {
        while (_pos < _end)
        {
            var b = _packet[_pos];
            if (b == 0)
            {
                _pos++;
                continue;
            }
            int id, length, dataOffset;
            if (_twoByte)
            {
                if (_pos + 2 > _end)
                {
                    IsMalformed = true;
                    return false;
                }
                id = b;
                length = _packet[_pos + 1];
                dataOffset = _pos + 2;
            }
            else
            {
                id = b >> 4;
                if (id == 15)
                {
                    _pos = _end;
                    return false;
                }
                length = (b & 0x0F) + 1;
                dataOffset = _pos + 1;
            }
            if (dataOffset + length > _end)
            {
                IsMalformed = true;
                _pos = _end;
                return false;
            }
            Current = new RtpExtensionElement(id, dataOffset, length);
            _pos = dataOffset + length;
            return true;
        }
        return false;
    }
}
