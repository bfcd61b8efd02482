using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Sfu;
using LiveClassroom.Media.Transport;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>Two workers: a burst's fan-out is split over the lanes once, and every subscriber still gets every packet in order.</summary>
public sealed class BatchedFanOutTests : BatchedFanOutRoom
{
    public BatchedFanOutTests()
        : base(workers: 2)
    {
    }

    [Fact]
    public void OnRtpBatch_BurstsOfSixteen_OneSplitEachAndEverySubscriberGetsEveryPacketInOrder()
    {
        var (jobsBefore, _, _) = _server.FanOutCounts;
        var packetsBefore = _server.FanOutPackets;
        var expected = SendEightBursts();
        Assert.All(_subscribers.Values, s => Assert.Equal(expected, s.Log.Video));
        // One split per burst, not per packet.
        Assert.Equal(8, _server.FanOutCounts.Jobs - jobsBefore);
        Assert.Equal(8 * SfuRoom.MaxDeferred, _server.FanOutPackets - packetsBefore);
    }

    [Fact]
    public void OnRtpBatch_AudioAndVideoInOneBurst_EachTrackInOrderOneSplitPerRunOfATrack()
    {
        // Keyframe first, on its own: the subscribers' video starts with it.
        Video(0, 0, keyframe: true);
        Deliver(1);
        WaitForVideo(1, Ids);
        var (jobsBefore, _, _) = _server.FanOutCounts;

        // v v v v v a a a a a v v v v v v: three runs of one track, three splits.
        for (var i = 0; i < 5; i++)
        {
            Video(i, 1 + i);
        }
        for (var i = 0; i < 5; i++)
        {
            Audio(5 + i, i);
        }
        for (var i = 0; i < 6; i++)
        {
            Video(10 + i, 6 + i);
        }
        Deliver(16);
        WaitForVideo(12, Ids);
        Assert.True(SpinWait.SpinUntil(() => _subscribers.Values.All(s => s.Log.Audio.Length >= 5), Deadline), _server.Diagnostics());

        Assert.Equal(3, _server.FanOutCounts.Jobs - jobsBefore);
        Assert.All(_subscribers.Values, s =>
        {
            Assert.Equal(Enumerable.Range(0, 12), s.Log.Video);
            Assert.Equal(Enumerable.Range(0, 5), s.Log.Audio);
        });
    }

    [Fact]
    public void OnRtpBatch_SubscribersJoinAndLeaveBetweenBursts_NewcomerGetsLaterBurstsInOrderLeaverNothingMore()
    {
        for (var i = 0; i < SfuRoom.MaxDeferred; i++)
        {
            Video(i, i, keyframe: i == 0);
        }
        Deliver(SfuRoom.MaxDeferred);
        WaitForVideo(SfuRoom.MaxDeferred, Ids);

        _room.RemovePeer("s0");
        Join("late");
        var stayed = Ids.Where(id => id != "s0").ToArray();
        for (var i = 0; i < SfuRoom.MaxDeferred; i++)
        {
            var index = SfuRoom.MaxDeferred + i;
            // The second burst opens with a keyframe, which the newcomer's video starts from.
            Video(i, index, keyframe: i == 0);
        }
        Deliver(SfuRoom.MaxDeferred);
        WaitForVideo(SfuRoom.MaxDeferred, ["late"]);
        WaitForVideo(2 * SfuRoom.MaxDeferred, stayed.Where(id => id != "late"));

        Assert.Equal(Enumerable.Range(SfuRoom.MaxDeferred, SfuRoom.MaxDeferred), _subscribers["late"].Log.Video);
        Assert.All(stayed.Where(id => id != "late"), id => Assert.Equal(Enumerable.Range(0, 2 * SfuRoom.MaxDeferred), _subscribers[id].Log.Video));
        // Removed before the second burst: what it got is the first burst, nothing after (the others already have the second).
        Assert.Equal(Enumerable.Range(0, SfuRoom.MaxDeferred), _subscribers["s0"].Log.Video);
    }

    [Fact]
    public void OnRtpBatch_LanesHeldByAnotherFanOut_BurstRunsInlineInOrder()
    {
        Video(0, 0, keyframe: true);
        Deliver(1);
        WaitForVideo(1, Ids);
        var pool = _room.Engine.FanOut!;
        using var entered = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        // Another room's split, stuck in its one chunk: the lanes are taken until it ends.
        var other = new Thread(() => pool.TryRun(new BlockingJob(entered, release), 1));
        other.Start();
        try
        {
            Assert.True(entered.Wait(Deadline));
            var packetsBefore = _server.FanOutPackets;
            for (var i = 0; i < SfuRoom.MaxDeferred; i++)
            {
                Video(i, 1 + i);
            }

            Deliver(SfuRoom.MaxDeferred);
            WaitForVideo(1 + SfuRoom.MaxDeferred, Ids);

            Assert.Equal(packetsBefore, _server.FanOutPackets);
            Assert.All(_subscribers.Values, s => Assert.Equal(Enumerable.Range(0, 1 + SfuRoom.MaxDeferred), s.Log.Video));
        }
        finally
        {
            release.Set();
            other.Join();
        }
    }

    private sealed class BlockingJob(ManualResetEventSlim entered, ManualResetEventSlim release) : IFanOutJob
    {
        public void RunChunk(int chunk)
        {
            entered.Set();
            release.Wait();
        }
    }
}
