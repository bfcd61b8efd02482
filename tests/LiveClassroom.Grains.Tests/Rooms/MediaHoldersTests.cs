using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Tests.Rooms;

public sealed class MediaHoldersTests
{
    private static readonly MediaHolder TabOnA = new("node-a", "conn-1");
    private static readonly MediaHolder TabOnB = new("node-b", "conn-2");

    [Fact]
    public void Take_AnotherConnection_ReturnsTheOneBefore_WhateverItsNode()
    {
        var holders = new MediaHolders();

        Assert.Null(holders.Take("teacher", TabOnA));
        Assert.Equal(TabOnA, holders.Take("teacher", TabOnB));
        Assert.Equal(TabOnB, holders.Take("teacher", TabOnA));
    }

    [Fact]
    public void Take_SameConnectionAgain_OrAnotherPeer_OrNoHolder_TakesNothingOver()
    {
        var holders = new MediaHolders();
        holders.Take("teacher", TabOnA);

        Assert.Null(holders.Take("teacher", TabOnA));
        Assert.Null(holders.Take("device", TabOnB));
        Assert.Null(holders.Take("teacher", null));
        // A caller that did not say who it is changed nothing: the next one still took it from the first tab.
        Assert.Equal(TabOnA, holders.Take("teacher", TabOnB));
    }

    [Fact]
    public void Forget_PeerGone_NextConnectionTookNothingOver()
    {
        var holders = new MediaHolders();
        holders.Take("teacher", TabOnA);

        holders.Forget("teacher");

        Assert.Null(holders.Take("teacher", TabOnB));
    }
}
