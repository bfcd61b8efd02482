using LiveClassroom.Grains.Hosting;

namespace LiveClassroom.Grains.Classroom;

/// <summary>What <see cref="IGrainFactory.GetGrain{T}"/> hands out: every call becomes one message in the grain's mailbox.</summary>
internal sealed class ClassroomGrainReference(GrainHost host, GrainKey key) : IClassroomGrain
{
    public Task<ClassSnapshot> SetupAsync(RoomCaller caller, ClassSetup setup) =>
        host.InvokeAsync<ClassroomGrain, ClassSnapshot>(key, g => g.SetupAsync(caller, setup));

    public Task<ClassSnapshot> OpenAsync(RoomCaller caller) =>
        host.InvokeAsync<ClassroomGrain, ClassSnapshot>(key, g => g.OpenAsync(caller));

    public Task<ClassSnapshot> EndAsync(RoomCaller caller) =>
        host.InvokeAsync<ClassroomGrain, ClassSnapshot>(key, g => g.EndAsync(caller));

    public Task<ClassSnapshot> JoinAsync(RoomCaller caller) =>
        host.InvokeAsync<ClassroomGrain, ClassSnapshot>(key, g => g.JoinAsync(caller));

    public Task LeaveAsync(RoomCaller caller) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.LeaveAsync(caller));

    public Task ConnectionLostAsync(string principalId) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.ConnectionLostAsync(principalId));

    public Task<MediaAnswer> ConnectMediaAsync(RoomCaller caller, MediaOffer offer) =>
        host.InvokeAsync<ClassroomGrain, MediaAnswer>(key, g => g.ConnectMediaAsync(caller, offer));

    public Task ReportStatsAsync(IReadOnlyList<ParticipantStats> stats) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.ReportStatsAsync(stats));

    public Task RaiseHandAsync(RoomCaller caller) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.RaiseHandAsync(caller));

    public Task RaiseHandOnceAsync(RoomCaller caller, string actionKey) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.RaiseHandOnceAsync(caller, actionKey));

    public Task LowerHandAsync(RoomCaller caller) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.LowerHandAsync(caller));

    public Task DismissHandAsync(RoomCaller caller, string classroomId) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.DismissHandAsync(caller, classroomId));

    public Task BringOnStageAsync(RoomCaller caller, string classroomId) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.BringOnStageAsync(caller, classroomId));

    public Task TakeOffStageAsync(RoomCaller caller, string classroomId) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.TakeOffStageAsync(caller, classroomId));

    public Task SetClassroomMutedAsync(RoomCaller caller, string classroomId, bool muted) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.SetClassroomMutedAsync(caller, classroomId, muted));

    public Task<ChatMessage> PostChatAsync(RoomCaller caller, string text, bool isQuestion) =>
        host.InvokeAsync<ClassroomGrain, ChatMessage>(key, g => g.PostChatAsync(caller, text, isQuestion));

    public Task<ChatMessage> PostChatOnceAsync(RoomCaller caller, string text, bool isQuestion, string actionKey) =>
        host.InvokeAsync<ClassroomGrain, ChatMessage>(key, g => g.PostChatOnceAsync(caller, text, isQuestion, actionKey));

    public Task PinMessageAsync(RoomCaller caller, string messageId, bool pinned) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.PinMessageAsync(caller, messageId, pinned));

    public Task DismissMessageAsync(RoomCaller caller, string messageId) =>
        host.InvokeAsync<ClassroomGrain>(key, g => g.DismissMessageAsync(caller, messageId));

    public Task<ClassSnapshot> GetSnapshotAsync(RoomCaller caller) =>
        host.InvokeAsync<ClassroomGrain, ClassSnapshot>(key, g => g.GetSnapshotAsync(caller));

    public Task<IReadOnlyList<ParticipantLink>> GetLinksAsync(RoomCaller caller) =>
        host.InvokeAsync<ClassroomGrain, IReadOnlyList<ParticipantLink>>(key, g => g.GetLinksAsync(caller));
}
