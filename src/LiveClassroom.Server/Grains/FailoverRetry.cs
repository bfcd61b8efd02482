using LiveClassroom.Grains;
using Orleans.Runtime;

namespace LiveClassroom.Server.Grains;

/// <summary>
/// A grain call that fails because the room's node just died or hangs is retried for a short, bounded time (at most
/// <see cref="Budget"/>), while the cluster declares the node dead and the room activates on a live node
/// (<see cref="FailureDetection"/>: ~2–10 s). The user sees a short wait instead of an error or a 30 s timeout.
/// </summary>
public static class FailoverRetry
{
    public static readonly TimeSpan Budget = TimeSpan.FromSeconds(12);

    /// <summary>
    /// Errors that mean the call did not reach a live activation; anything else is the call's own answer. A cancellation
    /// that the caller did not ask for (<paramref name="callerToken"/> not cancelled) is Orleans giving up on placing the
    /// call while a dead silo's grain-directory range moves to a live one (seen in CI on a kill -9: the directory lookup
    /// of the class's grain was cancelled 1.5 s into the membership change, and the request failed with 500).
    /// </summary>
    public static bool IsTransient(Exception ex, CancellationToken callerToken = default) =>
        ex is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or GrainUnavailableException
        || (ex is OperationCanceledException && !callerToken.IsCancellationRequested);

    public static async ValueTask<T> RunAsync<T>(Func<ValueTask<T>> call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        var started = TimeProvider.System.GetTimestamp();
        var delay = TimeSpan.FromMilliseconds(250);
        while (true)
        {
            try
            {
                return await call();
            }
            catch (Exception ex) when (IsTransient(ex, ct) && TimeProvider.System.GetElapsedTime(started) + delay < Budget)
            {
                await Task.Delay(delay, ct);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 1000));
            }
        }
    }

    public static async Task<T> RunAsync<T>(Func<Task<T>> call, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        return await RunAsync(() => new ValueTask<T>(call()), ct);
    }
}
