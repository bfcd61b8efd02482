using System.Buffers.Binary;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu.Wrap;

/// <summary>One packet a subscriber decrypted: its SSRC, rolled-over sequence number and what the publisher put in it.</summary>
internal readonly record struct Arrival(uint Ssrc, long Seq, bool Video, int Index, byte Tag, int PictureId);

/// <summary>Everything a synthetic subscriber decrypted, in arrival order, with sequence numbers rolled over per SSRC.</summary>
internal sealed class ArrivalLog
{
    private readonly Lock _gate = new();
    private readonly List<Arrival> _arrivals = new(300_000);
    private readonly Dictionary<uint, SequenceNumberUnwrapper> _unwrappers = [];
    private long _count;

    public ArrivalLog(SyntheticPeer subscriber) => subscriber.OnPlainRtp = OnPacket;

    public long Count => Interlocked.Read(ref _count);

    public long VideoCount => Interlocked.Read(ref _videoCount);

    private long _videoCount;

    public Arrival[] Snapshot()
    {
        lock (_gate)
        {
            return [.. _arrivals];
        }
    }

    /// <summary>Retransmissions that came on the RTX stream (RFC 4588) and were logged as their original packet.</summary>
    public long RtxCount => Interlocked.Read(ref _rtxCount);

    private long _rtxCount;
    private uint _videoSsrc;

    private void OnPacket(ReadOnlySpan<byte> packet)
    {
        if (RtpHeader.TryParse(packet, out var header) != RtpParseError.None || header.PayloadLength < 10)
        {
            return;
        }
        var payload = packet.Slice(header.PayloadOffset, header.PayloadLength);
        var ssrc = header.Ssrc;
        var sequence = header.SequenceNumber;
        var rtx = header.PayloadType == WrapSender.RtxPayloadType;
        if (rtx)
        {
            // RFC 4588 §4: the original sequence number first, then the original payload, as a receiver restores it onto
            // the media stream (one video stream per subscriber here, so the FID pairing is the video SSRC seen).
            sequence = BinaryPrimitives.ReadUInt16BigEndian(payload);
            payload = payload[2..];
            ssrc = Volatile.Read(ref _videoSsrc);
        }
        var video = rtx || header.PayloadType == WrapSender.VideoPayloadType;
        if (video && !rtx)
        {
            Volatile.Write(ref _videoSsrc, ssrc);
        }
        var (index, tag, picture) = WrapSender.Read(payload, video);
        lock (_gate)
        {
            _unwrappers.TryGetValue(ssrc, out var unwrapper);
            var seq = unwrapper.Unwrap(sequence);
            _unwrappers[ssrc] = unwrapper;
            _arrivals.Add(new Arrival(ssrc, seq, video, index, tag, picture));
        }
        if (video)
        {
            Interlocked.Increment(ref _videoCount);
        }
        if (rtx)
        {
            Interlocked.Increment(ref _rtxCount);
        }
        Interlocked.Increment(ref _count);
    }
}
