using LiveClassroom.Grains.Cascade;

namespace LiveClassroom.Grains.Tests.Cascade;

public sealed class MediaTopologyRulesTests
{
    private static MediaNodeLoad Node(string id, int subscribers, int capacity) => new(id, subscribers, capacity, "127.0.0.1:1");

    [Fact]
    public void PlaceMany_LostEdgesClassrooms_OriginThenTheCarryingEdgeToCapacityThenANewEdge()
    {
        // The edge "c" is gone with its 60 classrooms: the origin has 5 places, "b" (an edge) 30, "d" (no edge yet) 40.
        var nodes = new[] { Node("a", 95, 100), Node("b", 70, 100), Node("d", 60, 100) };
        var placed = MediaTopologyRules.PlaceMany("a", nodes, ["a", "b"], 60);

        Assert.Equal(60, placed.Count);
        Assert.Equal(5, placed.Count(n => n == "a"));
        Assert.Equal(30, placed.Count(n => n == "b"));
        Assert.Equal(25, placed.Count(n => n == "d"));
    }

    [Fact]
    public void PlaceMany_TwoEdgesCarrying_SpreadByLoadNotAllOnTheOneLeastLoadedAtTheStart()
    {
        var nodes = new[] { Node("a", 100, 100), Node("b", 50, 100), Node("c", 40, 100) };
        var placed = MediaTopologyRules.PlaceMany("a", nodes, ["a", "b", "c"], 30);

        var onB = placed.Count(n => n == "b");
        var onC = placed.Count(n => n == "c");
        Assert.Equal(30, onB + onC);
        Assert.InRange(50 + onB - (40 + onC), -1, 1);
    }

    [Fact]
    public void PlaceMany_MoreThanAllRoom_EveryNodeFilledThenTheRestOnTheLeastLoadedCarryingTheClass()
    {
        var nodes = new[] { Node("a", 9, 10), Node("b", 8, 10), Node("d", 10, 10) };
        var placed = MediaTopologyRules.PlaceMany("a", nodes, ["a"], 6);

        // Origin's last place, then "b"'s two; then no room anywhere: by load among "a" and "b" ("d" is full and
        // does not carry the class).
        Assert.Equal(["a", "b", "b", "a", "b", "a"], placed);
    }

    [Fact]
    public void PlaceMany_Zero_Nothing()
    {
        Assert.Empty(MediaTopologyRules.PlaceMany("a", [Node("a", 0, 10)], ["a"], 0));
    }

    [Fact]
    public void PlaceMany_NodesGivenAreNotChanged()
    {
        var nodes = new[] { Node("a", 10, 10), Node("b", 0, 10) };
        MediaTopologyRules.PlaceMany("a", nodes, ["a"], 5);
        Assert.Equal(0, nodes[1].Subscribers);
    }

    [Fact]
    public void Place_OriginHasRoom_Origin()
    {
        var nodes = new[] { Node("a", 3, 10), Node("b", 0, 10) };
        Assert.Equal("a", MediaTopologyRules.Place("a", nodes, ["a"], previous: null, pinnedToOrigin: false));
    }

    [Fact]
    public void Place_OriginFull_LeastLoadedNodeAlreadyCarryingTheClassBeforeAnEmptyNewOne()
    {
        var nodes = new[] { Node("a", 10, 10), Node("b", 6, 10), Node("c", 4, 10), Node("d", 0, 10) };
        Assert.Equal("c", MediaTopologyRules.Place("a", nodes, ["a", "b", "c"], previous: null, pinnedToOrigin: false));
    }

    [Fact]
    public void Place_OriginAndEdgesFull_LeastLoadedOtherNodeOpensAnEdge()
    {
        var nodes = new[] { Node("a", 10, 10), Node("b", 10, 10), Node("c", 7, 10), Node("d", 2, 10) };
        Assert.Equal("d", MediaTopologyRules.Place("a", nodes, ["a", "b"], previous: null, pinnedToOrigin: false));
    }

    [Fact]
    public void Place_EverythingFull_LeastLoadedNodeCarryingTheClass()
    {
        var nodes = new[] { Node("a", 12, 10), Node("b", 11, 10), Node("c", 20, 10) };
        Assert.Equal("b", MediaTopologyRules.Place("a", nodes, ["a", "b"], previous: null, pinnedToOrigin: false));
    }

    [Fact]
    public void Place_LeadClassroom_AlwaysTheOriginEvenWhenFull()
    {
        var nodes = new[] { Node("a", 50, 10), Node("b", 0, 10) };
        Assert.Equal("a", MediaTopologyRules.Place("a", nodes, ["a"], previous: "b", pinnedToOrigin: true));
    }

    [Fact]
    public void Place_PreviousNodeAliveAndWithinCapacity_KeptEvenIfAnotherIsEmptier()
    {
        var nodes = new[] { Node("a", 10, 10), Node("b", 10, 10), Node("c", 0, 10) };
        Assert.Equal("b", MediaTopologyRules.Place("a", nodes, ["a", "b"], previous: "b", pinnedToOrigin: false));
    }

    [Fact]
    public void Place_PreviousNodeGone_PlacedAgainOnALiveNode()
    {
        var nodes = new[] { Node("a", 10, 10), Node("c", 1, 10) };
        Assert.Equal("c", MediaTopologyRules.Place("a", nodes, ["a", "b"], previous: "b", pinnedToOrigin: false));
    }

    [Fact]
    public void Place_NoCapacitySet_Origin()
    {
        var nodes = new[] { Node("a", 500, 0), Node("b", 0, 0) };
        Assert.Equal("a", MediaTopologyRules.Place("a", nodes, ["a"], previous: null, pinnedToOrigin: false));
    }

    [Fact]
    public void EdgesToClose_UnusedOrDeadEdges_ClosedOthersKept()
    {
        var closed = MediaTopologyRules.EdgesToClose(["b", "c", "d"], placedNodes: ["a", "b", "d"], liveNodes: ["a", "b", "c"]);
        Assert.Equal(["c", "d"], closed);
    }
    private static readonly Dictionary<string, string> Placed = new(StringComparer.Ordinal)
    {
        ["teacher"] = "a",
        ["projector-b"] = "b",
        ["projector-c"] = "c",
    };

    [Fact]
    public void Feeds_OnlyTheLeadShown_EachEdgeFedTheLeadAndNothingFedBack()
    {
        var feeds = MediaTopologyRules.Feeds("a", ["b", "c"], ["teacher"], Placed);

        Assert.Equal(["teacher"], feeds.Forward["b"]);
        Assert.Equal(["teacher"], feeds.Forward["c"]);
        Assert.Empty(feeds.Reverse);
    }

    [Fact]
    public void Feeds_StageClassroomOnAnEdge_FedBackToTheOriginAndOnToTheOtherEdgesButNotToItsOwn()
    {
        var feeds = MediaTopologyRules.Feeds("a", ["b", "c"], ["teacher", "projector-b"], Placed);

        Assert.Equal(["projector-b"], feeds.Reverse["b"]);
        Assert.False(feeds.Reverse.ContainsKey("c"));
        Assert.Equal(["teacher"], feeds.Forward["b"]);
        Assert.Equal(["teacher", "projector-b"], feeds.Forward["c"]);
    }

    [Fact]
    public void Feeds_TakenOffStage_ItsEdgeFeedsNothingBackAndTheOtherEdgesDropIt()
    {
        var onStage = MediaTopologyRules.Feeds("a", ["b", "c"], ["teacher", "projector-b"], Placed);
        var offStage = MediaTopologyRules.Feeds("a", ["b", "c"], ["teacher"], Placed);

        Assert.True(onStage.Reverse.ContainsKey("b"));
        Assert.False(offStage.Reverse.ContainsKey("b"));
        Assert.DoesNotContain("projector-b", offStage.Forward["c"]);
    }

    [Fact]
    public void Feeds_StageClassroomsOnTwoEdges_EachFedBackAndEachEdgeGetsTheOther()
    {
        var feeds = MediaTopologyRules.Feeds("a", ["b", "c"], ["teacher", "projector-b", "projector-c"], Placed);

        Assert.Equal(["projector-b"], feeds.Reverse["b"]);
        Assert.Equal(["projector-c"], feeds.Reverse["c"]);
        Assert.Equal(["teacher", "projector-c"], feeds.Forward["b"]);
        Assert.Equal(["teacher", "projector-b"], feeds.Forward["c"]);
    }

    [Fact]
    public void Feeds_StageClassroomOnTheOriginOrUnplaced_FedToEveryEdgeNeverBack()
    {
        var feeds = MediaTopologyRules.Feeds("a", ["b"], ["teacher", "projector-origin", "never-placed"],
            new Dictionary<string, string>(Placed) { ["projector-origin"] = "a" });

        Assert.Equal(["teacher", "projector-origin", "never-placed"], feeds.Forward["b"]);
        Assert.Empty(feeds.Reverse);
    }

    [Fact]
    public void Feeds_PublisherOnANodeWithoutALink_LeftOutOfEveryFeed()
    {
        // Its node's edge was just closed (the node left): nothing can carry it until the page is placed again.
        var feeds = MediaTopologyRules.Feeds("a", ["b"], ["teacher", "projector-c"], Placed);

        Assert.Equal(["teacher"], feeds.Forward["b"]);
        Assert.Empty(feeds.Reverse);
    }

    [Fact]
    public void Feeds_SamePublisherShownTwice_CarriedOnce()
    {
        var feeds = MediaTopologyRules.Feeds("a", ["b", "c"], ["teacher", "projector-b", "projector-b"], Placed);

        Assert.Equal(["projector-b"], feeds.Reverse["b"]);
        Assert.Equal(["teacher", "projector-b"], feeds.Forward["c"]);
    }

    [Fact]
    public void Feeds_NoEdges_Nothing()
    {
        var feeds = MediaTopologyRules.Feeds("a", [], ["teacher", "projector-b"], Placed);

        Assert.Empty(feeds.Forward);
        Assert.Empty(feeds.Reverse);
    }

    [Fact]
    public void LinkNode_PeerOnAnEdge_ThatEdge_UnplacedPeer_TheOrigin()
    {
        Assert.Equal("b", MediaTopologyRules.LinkNode("a", Placed, "projector-b"));
        Assert.Equal("a", MediaTopologyRules.LinkNode("a", Placed, "someone-else"));
    }
}
