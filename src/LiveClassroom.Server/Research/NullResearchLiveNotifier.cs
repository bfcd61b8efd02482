namespace LiveClassroom.Server.Research;

public sealed class NullResearchLiveNotifier : IResearchLiveNotifier
{
    public Task SessionChangedAsync(Guid sessionId, CancellationToken ct) => Task.CompletedTask;
}
