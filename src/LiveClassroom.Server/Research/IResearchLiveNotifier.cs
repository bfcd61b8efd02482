namespace LiveClassroom.Server.Research;

/// <summary>
/// Told after every change of a live research session, so a real-time transport (the SignalR hub) can push
/// fresh snapshots to the session's connections. The default does nothing: clients poll <c>GET …/live</c>.
/// </summary>
public interface IResearchLiveNotifier
{
    Task SessionChangedAsync(Guid sessionId, CancellationToken ct);
}
