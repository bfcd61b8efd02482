using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtcp;

// draft-holmer-rmcat-transport-wide-cc-extensions-01 §3.1 (see TransportCcFeedback for the layout).
/// <summary>
/// Collects arrivals for one feedback packet and encodes it. Chunk choice: a run-length chunk for runs of 14 or
/// more (or 7+ when a 1-bit vector cannot be used), a 1-bit vector when the next 14 symbols are all "not received" /
/// "small", else a 2-bit vector. Reusable: <see cref="Reset"/> between packets. Not thread-safe; allocation-free after construction.
/// </summary>
internal sealed class TransportCcFeedbackBuilder
{
    private readonly TransportCcStatus[] _status;
    private readonly short[] _delta;
    private ushort _baseSequence;
    private byte _feedbackCount;
    private int _count;
    private int _referenceTime;
    private long _lastUs;
    private bool _hasReference;

    public TransportCcFeedbackBuilder(int maxPackets = 4096)
    {
        _status = new TransportCcStatus[maxPackets];
        _delta = new short[maxPackets];
    }

    /// <summary>Packets covered so far (received or not).</summary>
    public int PacketCount => _count;

    public bool IsEmpty => !_hasReference;

    public void Reset(ushort baseSequence, byte feedbackCount)
    {
        _baseSequence = baseSequence;
        _feedbackCount = feedbackCount;
        _count = 0;
        _hasReference = false;
    }

    /// <summary>
    /// Records a packet that arrived at <paramref name="arrivalUs"/>. Sequence numbers must not go backwards; gaps
    /// become "not received". False when it cannot be represented (out of order, too many packets, delta beyond
    /// ±8 s): send what you have and start a new feedback packet.
    /// </summary>
    public bool TryAddReceived(ushort sequence, long arrivalUs)
    {
        var index = (ushort)(sequence - _baseSequence);
        if (index < _count || index >= _status.Length)
        {
            return false;
        }
        if (!_hasReference)
        {
            _referenceTime = (int)(arrivalUs / TransportCcHeader.ReferenceTimeMicroseconds);
            _lastUs = (long)_referenceTime * TransportCcHeader.ReferenceTimeMicroseconds;
        }
        var ticks = (arrivalUs - _lastUs) / TransportCcPacket.MicrosecondsPerTick;
        if (ticks is < short.MinValue or > short.MaxValue)
        {
            return false;
        }
        _hasReference = true;
        for (var i = _count; i < index; i++)
        {
            _status[i] = TransportCcStatus.NotReceived;
        }
        _status[index] = ticks is >= 0 and <= 255 ? TransportCcStatus.SmallDelta : TransportCcStatus.LargeDelta;
        _delta[index] = (short)ticks;
        // Accumulate in whole ticks so rounding errors do not add up across the packet.
        _lastUs += ticks * TransportCcPacket.MicrosecondsPerTick;
        _count = index + 1;
        return true;
    }

    /// <summary>Writes the complete RTPFB packet (header, FCI, padding); returns its length or -1 if it does not fit or is empty.</summary>
    public int Write(Span<byte> destination, uint senderSsrc, uint mediaSsrc)
    {
        if (!_hasReference)
        {
            return -1;
        }
        var pos = RtcpFeedbackHeader.Length;
        if (destination.Length < pos + TransportCcHeader.Length)
        {
            return -1;
        }
        BinaryPrimitives.WriteUInt16BigEndian(destination[pos..], _baseSequence);
        BinaryPrimitives.WriteUInt16BigEndian(destination[(pos + 2)..], (ushort)_count);
        destination[pos + 4] = (byte)(_referenceTime >> 16);
        destination[pos + 5] = (byte)(_referenceTime >> 8);
        destination[pos + 6] = (byte)_referenceTime;
        destination[pos + 7] = _feedbackCount;
        pos += TransportCcHeader.Length;

        var i = 0;
        while (i < _count)
        {
            if (destination.Length - pos < 2)
            {
                return -1;
            }
            var run = RunLength(i);
            ushort chunk;
            int consumed;
            if (run >= 14)
            {
                chunk = (ushort)(((int)_status[i] << 13) | run);
                consumed = run;
            }
            else if (AllOneBit(i, 14))
            {
                chunk = 0x8000;
                consumed = Math.Min(14, _count - i);
                for (var k = 0; k < consumed; k++)
                {
                    chunk |= (ushort)((int)_status[i + k] << (13 - k));
                }
            }
            else if (run >= 7)
            {
                chunk = (ushort)(((int)_status[i] << 13) | run);
                consumed = run;
            }
            else
            {
                chunk = 0xC000;
                consumed = Math.Min(7, _count - i);
                for (var k = 0; k < consumed; k++)
                {
                    chunk |= (ushort)((int)_status[i + k] << (2 * (6 - k)));
                }
            }
            BinaryPrimitives.WriteUInt16BigEndian(destination[pos..], chunk);
            pos += 2;
            i += consumed;
        }
        for (var k = 0; k < _count; k++)
        {
            if (_status[k] == TransportCcStatus.SmallDelta)
            {
                if (destination.Length - pos < 1)
                {
                    return -1;
                }
                destination[pos++] = (byte)_delta[k];
            }
            else if (_status[k] == TransportCcStatus.LargeDelta)
            {
                if (destination.Length - pos < 2)
                {
                    return -1;
                }
                BinaryPrimitives.WriteInt16BigEndian(destination[pos..], _delta[k]);
                pos += 2;
            }
        }
        var padding = (4 - (pos & 3)) & 3;
        if (destination.Length - pos < padding)
        {
            return -1;
        }
        if (padding > 0)
        {
            destination.Slice(pos, padding - 1).Clear();
            destination[pos + padding - 1] = (byte)padding;
            pos += padding;
        }
        RtcpWriter.WriteFeedbackHeader(destination, RtcpPacketType.TransportFeedback, RtcpPacketType.FmtTransportCc, senderSsrc, mediaSsrc, pos, padding > 0);
        return pos;
    }

    private int RunLength(int start)
    {
        var symbol = _status[start];
        var end = start + 1;
        while (end < _count && _status[end] == symbol && end - start < 0x1FFF)
        {
            end++;
        }
        return end - start;
    }

    private bool AllOneBit(int start, int span)
    {
        var end = Math.Min(_count, start + span);
        for (var k = start; k < end; k++)
        {
            if (_status[k] == TransportCcStatus.LargeDelta)
            {
                return false;
            }
        }
        return true;
    }
}
