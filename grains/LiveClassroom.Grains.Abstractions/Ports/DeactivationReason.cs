namespace LiveClassroom.Grains.Ports;

/// <summary>Why an activation ended (<see cref="IRoomEventPublisher.RoomDeactivatedAsync"/>).</summary>
public enum DeactivationReason
{
    /// <summary>No calls for the configured idle time.</summary>
    Idle,

    /// <summary>Asked for (the grain itself, an operator, a test).</summary>
    Requested,

    /// <summary>The lease could not be renewed or a newer epoch fenced this node off: another node owns the room now.</summary>
    LeaseLost,

    /// <summary>An unexpected error inside the grain: the in-memory state is dropped and reloaded from the store on next use.</summary>
    Fault,

    /// <summary>This node is stopping.</summary>
    Shutdown,
}
