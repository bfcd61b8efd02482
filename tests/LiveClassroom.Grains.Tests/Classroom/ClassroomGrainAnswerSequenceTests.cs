using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>
/// A media answer carries the class's event sequence as of its placement (<see cref="MediaAnswer.EventSequence"/>): the
/// page ignores a <c>MediaNodeLost</c> numbered at or below it (its peer was answered after the loss, issue #17) and acts
/// on one numbered above. So every event emitted before the offer must be at or below it, and a <c>MediaNodeLost</c> for
/// the node the offer is being negotiated on must be above it, or the page would keep a peer on a dead node.
/// Not run beside <see cref="ClassroomGrainCascadeTests"/>: each starts a three-silo cluster, and that test counts the
/// writes its offers share, which spread out when the machine is loaded further.
/// </summary>
[Collection(nameof(ClassroomGrainCascadeTests))]
public sealed class ClassroomGrainAnswerSequenceTests
{
    private const int Capacity = 2;

    private static MediaOffer Offer() => new("v=0", new PublishedTracks(null, "1"), [new ReceiveSlot("main", "5"), new ReceiveSlot("main-audio", "6")]);

    /// <summary>A class over three nodes: the lead and device-1 fill the origin, device-2's media is on an edge.</summary>
    private static async Task<(IClassroomGrain Room, Doubles.FakeMediaCascade Edge)> SpreadClassAsync(TestGrainHost host)
    {
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: 3);
        await room.ConnectMediaAsync(ClassScenario.Lead, new MediaOffer("v=0", new PublishedTracks("0", "1"), []));
        for (var n = 1; n <= 2; n++)
        {
            await room.JoinAsync(ClassScenario.Device(n));
            await room.ConnectMediaAsync(ClassScenario.Device(n), Offer());
        }
        var origin = host.Cascade!.All.Single(node => node.Media.HasPeer(ClassScenario.ClassId, "teacher-1"));
        var edge = host.Cascade.All.Single(node => node != origin && node.Media.HasPeer(ClassScenario.ClassId, "device-2"));
        return (room, edge);
    }

    private static long NewestSequence(TestGrainHost host) => host.Events.EventsOf(ClassScenario.Key).Max(e => e.Sequence);

    [Fact]
    public async Task ConnectMedia_AfterEvents_AnswerAtOrAboveEveryEventBeforeTheOfferAndBelowItsOwnAndLaterEvents()
    {
        await using var host = await TestGrainHost.CreateCascadeAsync(Capacity);
        var (room, _) = await SpreadClassAsync(host);
        await room.JoinAsync(ClassScenario.Device(3));
        var before = NewestSequence(host);

        var answer = await room.ConnectMediaAsync(ClassScenario.Device(3), Offer());
        await room.RaiseHandAsync(ClassScenario.Device(1));

        Assert.True(answer.EventSequence >= before, $"answer {answer.EventSequence}, events before the offer up to {before}");
        var after = host.Events.EventsOf(ClassScenario.Key).Where(e => e.Sequence > before).ToList();
        Assert.Contains(after, e => e.Type == ClassEventTypes.MediaChanged && ((ParticipantView)e.Payload).PrincipalId == "device-3");
        Assert.Contains(after, e => e.Type == ClassEventTypes.HandQueueChanged);
        Assert.All(after, e => Assert.True(e.Sequence > answer.EventSequence, $"{e.Type} #{e.Sequence} emitted during or after the negotiation, answer {answer.EventSequence}"));
    }

    [Fact]
    public async Task ConnectMedia_ItsNodeLostWhileTheOfferIsNegotiatedThere_MediaNodeLostNumberedAboveTheAnswer()
    {
        await using var host = await TestGrainHost.CreateCascadeAsync(Capacity);
        var (room, edge) = await SpreadClassAsync(host);
        var before = NewestSequence(host);

        // device-2 offers again (a renegotiation on its peer, placed on its edge again); the edge holds the negotiation
        // while the class finds that edge's relay silent and declares it lost.
        var held = edge.Media.HoldNegotiations(1);
        var offer = room.ConnectMediaAsync(ClassScenario.Device(2), Offer());
        await held.WaitAsync(TimeSpan.FromSeconds(30));
        host.Cascade!.Silence(edge.NodeId);
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));
        var lost = Assert.Single(host.Events.EventsOf(ClassScenario.Key), e => e.Type == ClassEventTypes.MediaNodeLost);
        Assert.Contains("device-2", ((MediaNodeLost)lost.Payload).PrincipalIds);
        edge.Media.Release();
        var answer = await offer.WaitAsync(TimeSpan.FromSeconds(30));

        // The answer is from the lost node: the page must act on the event, whichever of the two reaches it first.
        Assert.True(answer.EventSequence >= before, $"answer {answer.EventSequence}, events before the offer up to {before}");
        Assert.True(lost.Sequence > answer.EventSequence, $"MediaNodeLost #{lost.Sequence}, answer {answer.EventSequence}");
    }
}
