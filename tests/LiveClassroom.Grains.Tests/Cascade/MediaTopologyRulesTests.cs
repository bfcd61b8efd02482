using LiveClassroom.Grains.Cascade;

namespace LiveClassroom.Grains.Tests.Cascade;

public sealed class MediaTopologyRulesTests
{
    private static MediaNodeLoad Node(string id, int subscribers, int capacity) => new(id, subscribers, capacity, "127.0.0.1:1");

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
}
