using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §6.5: chunks of SSRC + items (type, length, text) ended by a zero byte and padded to 32 bits; CNAME is type 1.
/// <summary>Walks the chunks of an SDES packet, exposing each chunk's SSRC and CNAME (empty if none).</summary>
internal ref struct RtcpSdesEnumerator
{
    public const byte CnameItem = 1;

    private readonly ReadOnlySpan<byte> _packet;
    private readonly int _chunks;
    private int _pos;
    private int _index;

    public RtcpSdesEnumerator(ReadOnlySpan<byte> packet)
    {
        _packet = packet;
        _chunks = packet.Length >= 4 && packet[1] == RtcpPacketType.SourceDescription ? packet[0] & 0x1F : 0;
        _pos = 4;
        _index = 0;
        Ssrc = 0;
        Cname = default;
        IsMalformed = false;
    }

    public uint Ssrc { get; private set; }

    public ReadOnlySpan<byte> Cname { get; private set; }

    public bool IsMalformed { get; private set; }

    public bool MoveNext()
    {
        if (_index >= _chunks || IsMalformed)
        {
            return false;
        }
        if (_packet.Length - _pos < 4)
        {
            IsMalformed = true;
            return false;
        }
        Ssrc = BinaryPrimitives.ReadUInt32BigEndian(_packet[_pos..]);
        Cname = default;
        var pos = _pos + 4;
        while (true)
        {
            if (pos >= _packet.Length)
            {
                IsMalformed = true;
                return false;
            }
            var type = _packet[pos];
            if (type == 0)
            {
                pos++;
                break;
            }
            if (_packet.Length - pos < 2 || _packet.Length - pos - 2 < _packet[pos + 1])
            {
                IsMalformed = true;
                return false;
            }
            int length = _packet[pos + 1];
            if (type == CnameItem)
            {
                Cname = _packet.Slice(pos + 2, length);
            }
            pos += 2 + length;
        }
        _pos = (pos + 3) & ~3;
        _index++;
        return true;
    }
}
