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
}
