using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Rooms;

/// <summary>
/// The ports the grains reach the outside world through, registered in each silo's services by the server (or by the
/// test harness). <see cref="Time"/> is the clock the room rules read; it is not Orleans' own clock, so a test can
/// move it without touching the runtime's timers and membership. <see cref="Liveness"/> tells a room activating after its
/// node died when that node was last alive.
/// </summary>
public sealed record GrainServices(
    IRoomEventPublisher Events,
    IMediaControl Media,
    IPairingDirectory Pairings,
    TimeProvider Time,
    RoomOptions Options,
    INodeLiveness Liveness)
{
    /// <summary>This node's part in classes spread over nodes (cascade); null: every class stays on its grain's node.</summary>
    public IMediaCascade? Cascade { get; init; }

    /// <summary>This node's end of media quality notices crossing nodes; null: notices reach only this node's connections.</summary>
    public IMediaQualityNotices? QualityNotices { get; init; }

    /// <summary>This node's hubs, told when a connection here had its media peer taken over from another node; null: not carried.</summary>
    public IMediaTakeovers? Takeovers { get; init; }
}
