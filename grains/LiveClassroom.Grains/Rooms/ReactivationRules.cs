namespace LiveClassroom.Grains.Rooms;

/// <summary>
/// When a room's connections were lost, as seen by the activation that follows. Media and hub connections do not
/// survive an activation, so whoever the state still counts connected lost their connection before it. If the node of
/// the previous activation died, the loss happened when that node was last known alive (its last write of the room,
/// or its last "I am alive" in the cluster's membership, whichever is later), not when the cluster noticed: the
/// detection gap (seconds; up to ~10 s for a hung node) is no presence. Otherwise the previous activation ended in
/// order on a live node (deactivation, a failed write) and the loss is dated by this activation.
/// </summary>
public static class ReactivationRules
{
    public static DateTimeOffset ConnectionsLostAt(DateTimeOffset activatedAt, DateTimeOffset? lastWrittenAt, DateTimeOffset? previousNodeLastAlive)
    {
        if (previousNodeLastAlive is not { } alive)
        {
            return activatedAt;
        }
        var lost = lastWrittenAt is { } written && written > alive ? written : alive;
        // Clocks of two nodes: a loss can never be later than the activation that finds it.
        return lost > activatedAt ? activatedAt : lost;
    }
}
