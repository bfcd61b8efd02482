using LiveClassroom.LoadTests;

namespace LiveClassroom.Media.Tests.Sfu.Wrap;

/// <summary>
/// Streams longer than a 16-bit sequence cycle through the real MediaServer over loopback, with synthetic SRTP peers
/// (#19: media stopped 32,768 packets into every class because order was judged on 16-bit differences). Each test
/// pushes at least 140,000 packets — more than two full cycles of the subscriber's outgoing sequence — at an
/// accelerated, paced rate and checks every packet: none lost, none out of order, every one decrypted.
/// </summary>
[Collection(WrapCollection.Name)]
public sealed class SequenceWrapTests(WrapFixture fixture) : WrapTest(fixture)
{
    private const int Packets = 140_000;
    private const uint AudioSsrc = 0x5100_0001;
    private const uint VideoSsrc = 0x5100_0002;
    private const uint RtxSsrc = 0x5100_0003;

    [Fact]
    public void Video_MoreThanTwoSequenceCycles_EveryPacketArrivesInOrderAndDecrypts()
    {
        var (room, sender, subscriber, log, pacer) = PublisherAndSubscriber();
        room.Route("sub", "1", new MediaTrackSource("pub", "1"));
        sender.VideoSeq = 1000;

        pacer.Send(0, Packets, i => { sender.SendVideo(i); return 1; });

        var video = AssertContiguous(log, video: true, Packets);
        Assert.Equal(Enumerable.Range(0, Packets), video.Select(a => a.Index));
        Assert.Equal(0, subscriber.DecryptFailures);
    }

    [Fact]
    public void Audio_MoreThanTwoSequenceCycles_EveryPacketArrivesInOrderAndDecrypts()
    {
        var (room, sender, subscriber, log, pacer) = PublisherAndSubscriber();
        room.Route("sub", "0", new MediaTrackSource("pub", "0"));
        sender.AudioSeq = 40_000;

        pacer.Send(0, Packets, i => { sender.SendAudio(i); return 1; });

        var audio = AssertContiguous(log, video: false, Packets);
        Assert.Equal(Enumerable.Range(0, Packets), audio.Select(a => a.Index));
        Assert.Equal(0, subscriber.DecryptFailures);
    }

    [Fact]
    public void ServerMute_WhileThePublishersSequenceWraps_UnmutedAudioContinuesWithoutAGap()
    {
        var (room, sender, subscriber, log, pacer) = PublisherAndSubscriber();
        room.Route("sub", "0", new MediaTrackSource("pub", "0"));
        room.Route("sub", "1", new MediaTrackSource("pub", "1"));
        sender.AudioSeq = 30_000;
        const int beforeMute = 34_000;
        const int muted = 4_000; // longer than A.1's MAX_DROPOUT; the publisher's numbering wraps meanwhile

        pacer.Send(0, beforeMute, i => { sender.SendAudio(i); return 1; });
        room.SetPublisherAudioMuted("pub", true);
        pacer.Send(beforeMute, muted, i => { sender.SendAudio(i); return 0; });
        // A video packet behind the muted audio on the same path: once it arrives, the SFU has seen (and held back) all of it.
        sender.SendVideo(0, keyframe: true);
        pacer.Expected++;
        pacer.CatchUp();
        room.SetPublisherAudioMuted("pub", false);
        pacer.Send(beforeMute + muted, Packets - beforeMute - muted, i => { sender.SendAudio(i); return 1; });

        var audio = AssertContiguous(log, video: false, Packets - muted);
        Assert.Equal(Enumerable.Range(0, beforeMute).Concat(Enumerable.Range(beforeMute + muted, Packets - beforeMute - muted)), audio.Select(a => a.Index));
        Assert.Equal(0, subscriber.DecryptFailures);
    }

    [Fact]
    public void StageSwitch_AfterTheSlotsSequenceWrapped_NewPublisherContinuesTheSequenceAndPictureIds()
    {
        var (room, first, subscriber, log, pacer) = PublisherAndSubscriber();
        var secondPeer = Connect("pub2", publish: true, AudioSsrc + 16, VideoSsrc + 16, RtxSsrc + 16);
        var second = new WrapSender(secondPeer, 2, AudioSsrc + 16, VideoSsrc + 16, RtxSsrc + 16) { VideoSeq = 65_000, PictureId = 12_345 };
        room.Route("sub", "1", new MediaTrackSource("pub", "1"));
        first.VideoSeq = 50_000;
        const int half = Packets / 2;

        pacer.Send(0, half, i => { first.SendVideo(i); return 1; });
        room.Route("sub", "1", new MediaTrackSource("pub2", "1"));
        pacer.Send(0, half, i => { second.SendVideo(i); return 1; });

        var video = AssertContiguous(log, video: true, Packets);
        Assert.Equal(Enumerable.Repeat((byte)1, half).Concat(Enumerable.Repeat((byte)2, half)), video.Select(a => a.Tag));
        Assert.Equal(Enumerable.Range(0, half).Concat(Enumerable.Range(0, half)), video.Select(a => a.Index));
        AssertPictureIdsContinue(video);
        Assert.Equal(0, subscriber.DecryptFailures);
    }

    [Fact]
    public void Video_PublisherStartingAt65530ThenJumpingItsNumbering_SequenceAndPictureIdsContinue()
    {
        var (room, sender, subscriber, log, pacer) = PublisherAndSubscriber();
        room.Route("sub", "1", new MediaTrackSource("pub", "1"));
        sender.VideoSeq = 65_530;
        const int beforeRestart = 100_000;

        pacer.Send(0, beforeRestart, i => { sender.SendVideo(i); return 1; });
        // The publisher's encoder restarts: its numbering jumps (forward: SRTP, RFC 3711 §3.3.2, refuses an index reused
        // under the same key) and PictureIDs start over at a keyframe. RFC 3550 A.1: the first packet of the new numbering
        // is held as a stray until the next one confirms it.
        sender.VideoSeq += 20_000;
        sender.PictureId = 0;
        pacer.Send(beforeRestart, Packets - beforeRestart, i => { sender.SendVideo(i, keyframe: i == beforeRestart); return i == beforeRestart ? 0 : 1; });

        var video = AssertContiguous(log, video: true, Packets - 1);
        Assert.Equal(Enumerable.Range(0, beforeRestart).Concat(Enumerable.Range(beforeRestart + 1, Packets - beforeRestart - 1)), video.Select(a => a.Index));
        AssertPictureIdsContinue(video);
        Assert.Equal(0, subscriber.DecryptFailures);
    }

    /// <summary>The subscriber's packets of one kind: a single SSRC whose rolled-over sequence runs on by exactly one each time.</summary>
    internal static Arrival[] AssertContiguous(ArrivalLog log, bool video, int expectedCount)
    {
        var arrivals = log.Snapshot().Where(a => a.Video == video).ToArray();
        Assert.Equal(expectedCount, arrivals.Length);
        Assert.Single(arrivals.Select(a => a.Ssrc).Distinct());
        for (var i = 1; i < arrivals.Length; i++)
        {
            if (arrivals[i].Seq != arrivals[i - 1].Seq + 1)
            {
                Assert.Fail($"packet {i}: sequence {arrivals[i].Seq} after {arrivals[i - 1].Seq}");
            }
        }
        // More than a full cycle of the 16-bit number on the wire went by.
        Assert.True(arrivals[^1].Seq - arrivals[0].Seq > 65_536, $"only {arrivals[^1].Seq - arrivals[0].Seq} sequence numbers");
        return arrivals;
    }

    private static void AssertPictureIdsContinue(Arrival[] video)
    {
        for (var i = 1; i < video.Length; i++)
        {
            if (video[i].PictureId != ((video[i - 1].PictureId + 1) & 0x7FFF))
            {
                Assert.Fail($"packet {i}: PictureID {video[i].PictureId} after {video[i - 1].PictureId}");
            }
        }
    }

    private (MediaRoom Room, WrapSender Sender, SyntheticPeer Subscriber, ArrivalLog Log, Pacer Pacer) PublisherAndSubscriber()
    {
        var room = Room;
        var publisher = Connect("pub", publish: true, AudioSsrc, VideoSsrc, RtxSsrc);
        var subscriber = Connect("sub", publish: false);
        var log = new ArrivalLog(subscriber);
        return (room, new WrapSender(publisher, 1, AudioSsrc, VideoSsrc, RtxSsrc), subscriber, log, new Pacer(log, Fixture.Server.Diagnostics));
    }
}
