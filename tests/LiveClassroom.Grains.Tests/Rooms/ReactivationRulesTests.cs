using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Tests.Rooms;

public sealed class ReactivationRulesTests
{
    private static readonly DateTimeOffset Activated = new(2026, 3, 2, 8, 10, 0, TimeSpan.Zero);

    [Fact]
    public void ConnectionsLostAt_PreviousNodeNotDead_TheActivation()
    {
        Assert.Equal(Activated, ReactivationRules.ConnectionsLostAt(Activated, Activated.AddSeconds(-30), previousNodeLastAlive: null));
    }

    [Fact]
    public void ConnectionsLostAt_NodeDiedAfterTheLastWrite_ItsLastSignOfLife()
    {
        Assert.Equal(Activated.AddSeconds(-9), ReactivationRules.ConnectionsLostAt(Activated, Activated.AddSeconds(-12), Activated.AddSeconds(-9)));
    }

    [Fact]
    public void ConnectionsLostAt_RoomWrittenAfterTheNodesLastIAmAlive_TheLastWrite()
    {
        Assert.Equal(Activated.AddSeconds(-7), ReactivationRules.ConnectionsLostAt(Activated, Activated.AddSeconds(-7), Activated.AddSeconds(-11)));
    }

    [Fact]
    public void ConnectionsLostAt_NoWriteRecorded_NodesLastSignOfLife()
    {
        Assert.Equal(Activated.AddSeconds(-11), ReactivationRules.ConnectionsLostAt(Activated, lastWrittenAt: null, Activated.AddSeconds(-11)));
    }

    [Fact]
    public void ConnectionsLostAt_OtherNodesClockAhead_NeverAfterTheActivation()
    {
        Assert.Equal(Activated, ReactivationRules.ConnectionsLostAt(Activated, Activated.AddSeconds(2), Activated.AddSeconds(3)));
    }
}
