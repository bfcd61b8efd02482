using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Tests.Classroom;

/// <summary>A class spread over three silos, each a media node (cascade doubles), capacity 16 subscribers per node.</summary>
[Collection(nameof(ClassroomGrainCascadeTests))]
public sealed class ClassroomGrainCascadeTests
{
    private const int Capacity = 16;
    private const int Classrooms = 30;

    private static MediaOffer Offer(PublishedTracks publish) => new("v=0", publish, [new ReceiveSlot("main", "5"), new ReceiveSlot("main-audio", "6")]);

    [Fact]
    public async Task EdgeLost_ItsClassroomsOfferAtOnce_PlacedTogetherOnALiveNodeWithinCapacityNegotiatedSideBySideAndWrittenInFewWrites()
    {
        await using var host = await TestGrainHost.CreateCascadeAsync(Capacity);
        var nodes = host.Cascade!;
        var room = await ClassScenario.LiveClassAsync(host, ruralCount: Classrooms);
        await room.ConnectMediaAsync(ClassScenario.Lead, Offer(new PublishedTracks("0", "1")));
        for (var n = 1; n <= Classrooms; n++)
        {
            await room.JoinAsync(ClassScenario.Device(n));
            await room.ConnectMediaAsync(ClassScenario.Device(n), Offer(new PublishedTracks(null, "1")));
        }
        var origin = nodes.All.Single(node => node.Media.HasPeer(ClassScenario.ClassId, "teacher-1"));
        // The origin fills up (the lead and 15 classrooms), then one edge takes the other 15 before a third node is used.
        Assert.Equal(Capacity, origin.Media.PeerCount);
        var edge = nodes.All.Single(node => node != origin && node.Media.PeerCount > 0);
        var spare = nodes.All.Single(node => node != origin && node != edge);
        Assert.Equal(Classrooms + 1 - Capacity, edge.Media.PeerCount);
        var moved = Enumerable.Range(1, Classrooms).Where(n => edge.Media.HasPeer(ClassScenario.ClassId, $"device-{n}")).ToList();

        nodes.Silence(edge.NodeId);
        await host.AdvanceAsync(TimeSpan.FromSeconds(1));

        var lost = host.Events.EventsOf(ClassScenario.Key).Where(e => e.Type == ClassEventTypes.MediaNodeLost).Select(e => (MediaNodeLost)e.Payload).ToList();
        Assert.Equal(moved.Select(n => $"device-{n}").Order(), Assert.Single(lost).PrincipalIds.Order());

        // Every moved classroom offers at once; the spare node holds the negotiations until all of them are there, which
        // only happens if the class negotiates them side by side rather than one whole turn each.
        var allNegotiating = spare.Media.HoldNegotiations(moved.Count);
        var edgeCallsBefore = edge.Media.Calls.Count;
        var versionBefore = await StateVersionAsync(host);
        var offers = moved.Select(n => room.ConnectMediaAsync(ClassScenario.Device(n), Offer(new PublishedTracks(null, "1")))).ToList();
        await allNegotiating.WaitAsync(TimeSpan.FromSeconds(30));
        spare.Media.Release();
        var answers = await Task.WhenAll(offers);
        var writes = await StateVersionAsync(host) - versionBefore;

        Assert.Equal(moved.Select(n => $"device-{n}"), answers.Select(a => a.PeerId));
        Assert.All(moved, n => Assert.True(spare.Media.HasPeer(ClassScenario.ClassId, $"device-{n}")));
        Assert.InRange(spare.Media.PeerCount, moved.Count, Capacity);
        Assert.Equal(Capacity, origin.Media.PeerCount);
        Assert.Equal(edgeCallsBefore, edge.Media.Calls.Count);
        // One MediaChanged each, in far fewer writes than offers (one write while the rest gather, then one for them).
        Assert.InRange(writes, 1, 4);
        var changed = host.Events.EventsOf(ClassScenario.Key).Where(e => e.Type == ClassEventTypes.MediaChanged).ToList();
        Assert.All(moved, n => Assert.Contains(changed, e => ((ParticipantView)e.Payload).PrincipalId == $"device-{n}"));
        var events = host.Events.EventsOf(ClassScenario.Key);
        Assert.Equal(Enumerable.Range(1, events.Count).Select(i => (long)i), events.Select(e => e.Sequence));
        // Routed on their new node: the lead's microphone, relayed to the spare node, in each classroom's main-audio slot.
        Assert.All(moved, n => Assert.Equal(new MediaSource("teacher-1", "1"), spare.Media.RouteOf(ClassScenario.ClassId, $"device-{n}", "6")));
    }

    /// <summary>Writes of the class's state so far: its own row's and its media log's (a negotiation writes the log).</summary>
    private static async Task<long> StateVersionAsync(TestGrainHost host)
    {
        await using var cmd = host.DataSource.CreateCommand("SELECT coalesce(sum(version), 0)::bigint FROM grain_state WHERE kind IN (@kind, @kind || 'media') AND id = @id");
        cmd.Parameters.AddWithValue("kind", ClassScenario.Key.Kind);
        cmd.Parameters.AddWithValue("id", ClassScenario.Key.Id);
        return (long)(await cmd.ExecuteScalarAsync())!;
    }
}
