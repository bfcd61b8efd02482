using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §6.1 (compound packets) and RFC 5506 §3 (reduced-size packets: a single non-report packet is fine, so the
// "first packet must be SR/RR" rule is not enforced here).
/// <summary>Iterates the packets of an (S)RTCP-decrypted compound packet; stops and sets <see cref="IsMalformed"/> on a bad header.</summary>
internal ref struct RtcpCompoundEnumerator
{
    private readonly ReadOnlySpan<byte> _data;
    private int _pos;

    public RtcpCompoundEnumerator(ReadOnlySpan<byte> compound)
    {
        _data = compound;
        _pos = 0;
        Current = default;
        IsMalformed = false;
    }

    public RtcpPacket Current { get; private set; }

    public bool IsMalformed { get; private set; }

    public readonly RtcpCompoundEnumerator GetEnumerator() => this;

    /// <summary>Whether the whole buffer is a well-formed sequence of RTCP packets.</summary>
    public static bool IsValid(ReadOnlySpan<byte> compound)
    {
        var e = new RtcpCompoundEnumerator(compound);
        var any = false;
        while (e.MoveNext())
        {
            any = true;
        }
        return any && !e.IsMalformed;
    }

    public bool MoveNext()
    {
        if (_pos >= _data.Length || IsMalformed)
        {
            return false;
        }
        var remaining = _data.Length - _pos;
        if (remaining < 4 || (_data[_pos] >> 6) != 2)
        {
            IsMalformed = true;
            return false;
        }
        var length = (BinaryPrimitives.ReadUInt16BigEndian(_data[(_pos + 2)..]) + 1) * 4;
        if (length > remaining)
        {
            IsMalformed = true;
            return false;
        }
        var padding = 0;
        if ((_data[_pos] & 0x20) != 0)
        {
            padding = _data[_pos + length - 1];
            if (padding == 0 || padding > length - 4)
            {
                IsMalformed = true;
                return false;
            }
        }
        Current = new RtcpPacket(_pos, length, _data[_pos + 1], (byte)(_data[_pos] & 0x1F), padding);
        _pos += length;
        return true;
    }
}
