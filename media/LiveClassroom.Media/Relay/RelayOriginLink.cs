using System.Net;
using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Relay;

/// <summary>
/// The origin's end: feeds one edge node the chosen publishers' tracks and answers its NACK/PLI.
/// Open ⇄ Suspended (no media sent; the track table still goes out as the keepalive) → Disposed. <see cref="OnRtp"/> runs under the origin room's lock; <see cref="Tick"/> on the relay timer.
/// </summary>
internal sealed class RelayOriginLink : RelayLink, IRelayDownlink
{
    private const int MaxTracks = 255;
    private readonly RelayFeed _feed;
    private readonly Dictionary<(string Publisher, string Mid), byte> _indices = [];
    private readonly Lock _indexLock = new();
    // The packet path's buffer: used only under the room lock. The timer has its own.
    private readonly byte[] _packetBuffer = new byte[PacketCache.MaxPacketSize + RelayCipher.Overhead + 3];
    private readonly byte[] _tickBuffer = new byte[16 * 1024];

    public RelayOriginLink(RelaySocket socket, SfuRoom room, uint linkId, ReadOnlySpan<byte> key, IPEndPoint edge, IEnumerable<string> publishers)
        : base(socket, room, linkId, key, edge, isOrigin: true)
    {
        _feed = room.AddRelayFeed(this, publishers);
    }

    public override bool IsOrigin => true;

    public void SetPublishers(IEnumerable<string> publishers) => Room.SetRelayFeedPublishers(_feed, publishers);

    public void OnRtp(IncomingStream stream, ReadOnlySpan<byte> packet, bool recovered)
    {
        if (Suspended)
        {
            // The edge has not been heard past the silence limit: no media into the void until it is.
            return;
        }
        var track = stream.Track;
        byte index;
        lock (_indexLock)
        {
            if (!_indices.TryGetValue((track.Publisher.Id, track.Mid), out index))
            {
                if (_indices.Count >= MaxTracks)
                {
                    return;
                }
                // A track's first packet (rare): the edge learns the index from the next Tracks message.
                index = (byte)_indices.Count;
                _indices.Add((track.Publisher.Id, track.Mid), index);
            }
        }
        if (packet.Length > PacketCache.MaxPacketSize)
        {
            return;
        }
        var body = _packetBuffer.AsSpan(RelayCipher.HeaderLength);
        body[0] = index;
        var rank = stream.Rid is null ? -1 : track.RankOf(stream);
        body[1] = rank is >= 0 and < 255 ? (byte)rank : (byte)0xFF;
        body[2] = recovered ? (byte)1 : (byte)0;
        packet.CopyTo(body[3..]);
        if (recovered)
        {
            Interlocked.Increment(ref Retransmissions);
        }
        SealAndSend(_packetBuffer, RelayMessageType.Rtp, packet.Length + 3);
    }

    public override void OnMessage(RelayMessageType type, Span<byte> body)
    {
        Interlocked.Increment(ref PacketsReceived);
        if (type == RelayMessageType.Rtcp)
        {
            Room.OnRelayFeedback(_feed, body);
        }
    }

    public override void Tick()
    {
        var tracks = Room.DescribeRelayTracks(_feed);
        var indexed = new List<(byte, RelayTrackInfo)>(tracks.Count);
        lock (_indexLock)
        {
            foreach (var t in tracks)
            {
                if (!_indices.TryGetValue((t.PublisherId, t.Mid), out var index))
                {
                    if (_indices.Count >= MaxTracks)
                    {
                        continue;
                    }
                    index = (byte)_indices.Count;
                    _indices.Add((t.PublisherId, t.Mid), index);
                }
                indexed.Add((index, t));
            }
        }
        var length = RelayTrackTable.Write(_tickBuffer.AsSpan(RelayCipher.HeaderLength, _tickBuffer.Length - RelayCipher.Overhead), indexed);
        if (length >= 0)
        {
            SealAndSend(_tickBuffer, RelayMessageType.Tracks, length);
        }
    }

    public override void Dispose()
    {
        Room.RemoveRelayFeed(_feed);
        base.Dispose();
    }
}
