using LiveClassroom.Grains.Ports;
using Microsoft.Extensions.Logging;

namespace LiveClassroom.Grains.Hosting;

/// <summary>
/// Base of every grain implementation. The host creates one per activation and calls it one message at a time,
/// so grain code needs no locks; it must not block and must not call itself through the factory.
/// </summary>
internal abstract class Grain
{
    private GrainActivation? _activation;

    private protected GrainActivation Activation => _activation ?? throw new InvalidOperationException("grain not attached to an activation");

    protected GrainKey Key => Activation.Key;

    protected GrainServices Services => Activation.Host.Services;

    protected GrainHostOptions Options => Activation.Host.Options;

    protected TimeProvider Time => Activation.Host.Services.Time;

    protected IGrainFactory GrainFactory => Activation.Host;

    protected ILogger Logger => Activation.Host.Logger;

    internal void Attach(GrainActivation activation) => _activation = activation;

    /// <summary>Loads the persisted state (null when none) and runs the grain's own activation logic.</summary>
    internal abstract Task ActivateAsync(string? stateJson);

    internal Task DeactivateAsync() => OnDeactivateAsync();

    /// <summary>True while the grain must not be deactivated for idleness (e.g. a live class with people connected).</summary>
    internal virtual bool KeepAlive => false;

    protected virtual Task OnDeactivateAsync() => Task.CompletedTask;

    /// <summary>
    /// A timer whose ticks run as messages of this grain (never concurrently with a call). Ticks do not keep the
    /// grain from idle deactivation; the timer dies with the activation. Dispose it to stop it earlier.
    /// </summary>
    protected IDisposable RegisterTimer(Func<Task> callback, TimeSpan dueTime, TimeSpan period) =>
        Activation.RegisterTimer(callback, dueTime, period);

    /// <summary>Deactivate after the current message (state already written stays; the next call activates afresh).</summary>
    protected void DeactivateOnIdle() => Activation.RequestDeactivation(DeactivationReason.Requested);

    /// <summary>Runs a media-plane call; its failure is logged and swallowed so the room keeps running.</summary>
    protected async Task<bool> TryMediaAsync(string operation, Func<IMediaControl, Task> call)
    {
        try
        {
            await call(Services.Media);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            GrainHostLog.MediaFailed(Logger, ex, Key, operation);
            return false;
        }
    }
}
