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

    private void OnPacket(ReadOnlySpan<byte> packet)
    {
        if (RtpHeader.TryParse(packet, out var header) != RtpParseError.None || header.PayloadLength < 10)
        {
            return;
        }
        var video = header.PayloadType == WrapSender.VideoPayloadType;
        var (index, tag, picture) = WrapSender.Read(packet.Slice(header.PayloadOffset, header.PayloadLength), video);
        lock (_gate)
        {
            _unwrappers.TryGetValue(header.Ssrc, out var unwrapper);
            var seq = unwrapper.Unwrap(header.SequenceNumber);
            _unwrappers[header.Ssrc] = unwrapper;
            _arrivals.Add(new Arrival(header.Ssrc, seq, video, index, tag, picture));
        }
        if (video)
        {
            Interlocked.Increment(ref _videoCount);
        }
        Interlocked.Increment(ref _count);
    }
}
