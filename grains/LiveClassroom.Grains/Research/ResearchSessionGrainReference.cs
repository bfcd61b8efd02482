using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Hosting;

namespace LiveClassroom.Grains.Research;

/// <summary>What <see cref="IGrainFactory.GetGrain{T}"/> hands out: every call becomes one message in the grain's mailbox.</summary>
internal sealed class ResearchSessionGrainReference(GrainHost host, GrainKey key) : IResearchSessionGrain
{
    public Task<ResearchSessionSnapshot> ScheduleAsync(RoomCaller caller, ResearchSessionDefinition definition) =>
        host.InvokeAsync<ResearchSessionGrain, ResearchSessionSnapshot>(key, g => g.ScheduleAsync(caller, definition));

    public Task<ResearchSessionSnapshot> StartAsync(RoomCaller caller) =>
        host.InvokeAsync<ResearchSessionGrain, ResearchSessionSnapshot>(key, g => g.StartAsync(caller));

    public Task<ResearchSessionSnapshot> EndAsync(RoomCaller caller) =>
        host.InvokeAsync<ResearchSessionGrain, ResearchSessionSnapshot>(key, g => g.EndAsync(caller));

    public Task<ResearchSessionSnapshot> JoinAsync(RoomCaller caller) =>
        host.InvokeAsync<ResearchSessionGrain, ResearchSessionSnapshot>(key, g => g.JoinAsync(caller));

    public Task LeaveAsync(RoomCaller caller) =>
        host.InvokeAsync<ResearchSessionGrain>(key, g => g.LeaveAsync(caller));

    public Task<ResearchSessionSnapshot> GetSnapshotAsync(RoomCaller caller) =>
        host.InvokeAsync<ResearchSessionGrain, ResearchSessionSnapshot>(key, g => g.GetSnapshotAsync(caller));

    public Task<ResearchLiveSnapshot> SetUpLiveAsync(RoomCaller caller, ResearchLiveSetup setup) => Live(g => g.SetUpLiveAsync(caller, setup));

    public Task<ResearchLiveSnapshot> JoinAsAsync(RoomCaller caller, string role, string connectionId) => Live(g => g.JoinAsAsync(caller, role, connectionId));

    public Task ConnectionLostAsync(RoomCaller caller, string connectionId) =>
        host.InvokeAsync<ResearchSessionGrain>(key, g => g.ConnectionLostAsync(caller, connectionId));

    public Task<ResearchLiveSnapshot> GetLiveAsync(RoomCaller caller) => Live(g => g.GetLiveAsync(caller));

    public Task<ResearchLiveSnapshot> AdvanceSegmentAsync(RoomCaller caller) => Live(g => g.AdvanceSegmentAsync(caller));

    public Task<ResearchLiveSnapshot> RequestFloorAsync(RoomCaller caller) => Live(g => g.RequestFloorAsync(caller));

    public Task<ResearchLiveSnapshot> WithdrawFloorRequestAsync(RoomCaller caller) => Live(g => g.WithdrawFloorRequestAsync(caller));

    public Task<ResearchLiveSnapshot> GrantFloorAsync(RoomCaller caller, Guid personId) => Live(g => g.GrantFloorAsync(caller, personId));

    public Task<ResearchLiveSnapshot> EndTurnAsync(RoomCaller caller) => Live(g => g.EndTurnAsync(caller));

    public Task<ResearchLiveSnapshot> SetPlaybackAsync(RoomCaller caller, Guid recordingId, bool playing, double positionSeconds) =>
        Live(g => g.SetPlaybackAsync(caller, recordingId, playing, positionSeconds));

    public Task<MediaAnswer> ConnectMediaAsync(RoomCaller caller, MediaOffer offer) =>
        host.InvokeAsync<ResearchSessionGrain, MediaAnswer>(key, g => g.ConnectMediaAsync(caller, offer));

    private Task<ResearchLiveSnapshot> Live(Func<ResearchSessionGrain, Task<ResearchLiveSnapshot>> call) =>
        host.InvokeAsync<ResearchSessionGrain, ResearchLiveSnapshot>(key, call);
}
