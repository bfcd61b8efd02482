using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>
/// One worker (no lanes): a large room's burst is not split, but still fanned out once for the burst, each subscriber
/// getting its packets in one send (sendmmsg on Linux); every packet still arrives, in order.
/// </summary>
public sealed class BatchedFanOutOneWorkerTests : BatchedFanOutRoom
{
    public BatchedFanOutOneWorkerTests()
        : base(workers: 1)
    {
    }

    [Fact]
    public void OnRtpBatch_BurstsOfSixteen_NoSplitAndEverySubscriberGetsEveryPacketInOrder()
    {
        var sentBefore = _server.TransportCounters.PacketsSent;
        var expected = SendEightBursts();
        Assert.All(_subscribers.Values, s => Assert.Equal(expected, s.Log.Video));
        Assert.Null(_room.Engine.FanOut);
        Assert.Equal(0, _server.FanOutCounts.Jobs);
        // Every datagram counted once as sent, whether it left alone or in a burst.
        Assert.InRange(_server.TransportCounters.PacketsSent - sentBefore, 8 * SfuRoom.MaxDeferred * Subscribers, (8 * SfuRoom.MaxDeferred * Subscribers) + 200);
    }
}
