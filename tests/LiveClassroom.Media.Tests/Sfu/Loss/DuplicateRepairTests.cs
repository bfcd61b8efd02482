using System.Buffers.Binary;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu.Loss;

/// <summary>
/// A publisher's RTX copy of a packet the SFU already has (libwebrtc's "payload padding" probes, RFC 4588 §4) is not
/// forwarded: a subscriber would get the packet twice with one SSRC and sequence number, its SRTP replay check
/// (RFC 3711 §3.3.2) would drop the copy, and the transport-wide number the SFU stamped on it would read as lost in the
/// subscriber's transport-cc feedback. A repair of a packet the SFU lacks still is. Real packets through a real MediaServer.
/// </summary>
public sealed class DuplicateRepairTests : IDisposable
{
    private const byte RtxPayloadType = 97;
    private readonly ThreePeerRoom _room = new(ThreePeerRoom.Options());
    private readonly byte[] _buffer = new byte[1600];
    private ushort _rtxSeq = 500;

    [Fact]
    public void Rtx_CopiesOfAPacketTheSfuHas_NotForwarded_RepairOfAMissingOneIs()
    {
        // Index 10 (seq 1010) never reaches the SFU; index 5 (seq 1005) does.
        _room.SendVideo(1000, 20, 10);
        Assert.True(ThreePeerRoom.WaitUntil(() => ThreePeerRoom.Video(_room.A).Length >= 19 && ThreePeerRoom.Video(_room.B).Length >= 19),
            _room.Server.Diagnostics());

        // Three probes padded with copies of 1005 (as Chrome pads a probe with its largest recent packet), then the repair of 1010.
        SendRtxCopy(5);
        SendRtxCopy(5);
        SendRtxCopy(5);
        SendRtxCopy(10);

        // Either outcome ends the wait: the copies dropped by the SFU, or the copies reaching A (decrypted or refused).
        Assert.True(ThreePeerRoom.WaitUntil(() => ThreePeerRoom.Video(_room.A).Length >= 20
            && (_room.Room.Engine.DuplicateRepairs >= 3 || ThreePeerRoom.Video(_room.A).Length + _room.A.DecryptFailures >= 23)),
            $"A has {ThreePeerRoom.Video(_room.A).Length}, {_room.A.DecryptFailures} refused; {_room.Server.Diagnostics()}");
        Assert.True(ThreePeerRoom.WaitUntil(() => ThreePeerRoom.Video(_room.B).Length >= 20), _room.Server.Diagnostics());

        foreach (var subscriber in new[] { _room.A, _room.B })
        {
            var seqs = ThreePeerRoom.Video(subscriber).Select(p => BinaryPrimitives.ReadUInt16BigEndian(p.AsSpan(2))).ToList();
            // Every packet once, the repaired one included (20 distinct numbers), and nothing the replay check refused.
            Assert.Equal(20, seqs.Count);
            Assert.Equal(20, seqs.Distinct().Count());
            Assert.Equal(0, subscriber.DecryptFailures);
        }
        Assert.Equal(3, _room.Room.Engine.DuplicateRepairs);
    }

    private void SendRtxCopy(int index)
    {
        var length = ThreePeerRoom.WriteVideo(_buffer, 1000, index, ThreePeerRoom.VideoSsrc);
        Assert.True(RtxPacket.TryWrap(_buffer, length, RtxPayloadType, ThreePeerRoom.RtxSsrc, _rtxSeq++, out var rtxLength));
        _room.Publisher.SendRtp(_buffer, rtxLength);
    }

    public void Dispose() => _room.Dispose();
}
