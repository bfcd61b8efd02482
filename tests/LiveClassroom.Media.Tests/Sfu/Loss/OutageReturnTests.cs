using System.Buffers.Binary;
using System.Diagnostics;
using LiveClassroom.Media.Rtcp;

namespace LiveClassroom.Media.Tests.Sfu.Loss;

/// <summary>
/// A subscriber whose link was down comes back (its first SRTCP after <see cref="MediaServerOptions.OutageSilence"/> of
/// none): the SFU asks the publisher for a keyframe at once, since nothing it forwarded meanwhile arrived and the
/// browser would ask only after 3 s without a decodable frame. Real packets through a real MediaServer.
/// </summary>
public sealed class OutageReturnTests : IDisposable
{
    private static readonly TimeSpan Silence = TimeSpan.FromMilliseconds(600);
    private readonly ThreePeerRoom _room = new(new MediaServerOptions
    {
        BindAddress = System.Net.IPAddress.Loopback,
        AdvertisedAddresses = [System.Net.IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
        ConsentTimeout = TimeSpan.FromMinutes(5),
        OutageSilence = Silence,
    });

    [Fact]
    public void Rtcp_FirstAfterASilence_AsksThePublisherForOneKeyframe_RtcpWithoutSilenceAsksNothing()
    {
        _room.SendVideo(1000, 20);
        Assert.True(ThreePeerRoom.WaitUntil(() => ThreePeerRoom.Video(_room.A).Length >= 20), _room.Server.Diagnostics());
        var first = ThreePeerRoom.Video(_room.A)[0];
        var ssrc = BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(8));

        // A reports while it receives: the first report after none, and one right after it, ask nothing.
        SendReport(ssrc);
        SendReport(ssrc);
        Assert.True(ThreePeerRoom.WaitUntil(() => _room.Stats("a").RtcpPacketsIn == 2), _room.Server.Diagnostics());
        var before = _room.Stats("pub").KeyframeRequests;
        var plisBefore = Plis();

        // Then A's link is down (nothing from it) for longer than the silence, and comes back with a report.
        var down = Stopwatch.StartNew();
        while (down.Elapsed < Silence + TimeSpan.FromMilliseconds(200))
        {
            Thread.Sleep(50);
        }
        SendReport(ssrc);
        Assert.True(ThreePeerRoom.WaitUntil(() => Plis() > plisBefore, 10),
            $"no PLI reached the publisher; keyframe requests {_room.Stats("pub").KeyframeRequests} (before {before}); {_room.Server.Diagnostics()}");
        Assert.Equal(1, _room.Stats("pub").KeyframeRequests - before);
        Assert.Equal(1, _room.Stats("a").OutagesEnded);

        // Reports without a silence again (past Chrome's 300 ms keyframe floor, so a request would not be coalesced): no
        // further request, no outage.
        var soon = Stopwatch.StartNew();
        var sent = 3;
        while (soon.Elapsed < TimeSpan.FromMilliseconds(350))
        {
            Thread.Sleep(50);
            SendReport(ssrc);
            sent++;
        }
        Assert.True(ThreePeerRoom.WaitUntil(() => _room.Stats("a").RtcpPacketsIn == sent), _room.Server.Diagnostics());
        Assert.Equal(1, _room.Stats("pub").KeyframeRequests - before);
        Assert.Equal(1, _room.Stats("a").OutagesEnded);
    }

    private void SendReport(uint ssrc)
    {
        var buffer = new byte[256];
        var block = new RtcpReportBlock(ssrc, 0, 0, 1000, 0, 0, 0);
        var length = RtcpWriter.WriteReceiverReport(buffer, 0x3300_0001, [block]);
        _room.A.SendRtcp(buffer, length);
    }

    private int Plis() => ThreePeerRoom.CountRtcp(_room.Publisher, (item, compound) =>
        RtcpFeedbackHeader.TryParse(item.Slice((ReadOnlySpan<byte>)compound), out var fb) && fb.IsPli);

    public void Dispose() => _room.Dispose();
}
