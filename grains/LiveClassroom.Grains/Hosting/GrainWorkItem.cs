using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Hosting;

/// <summary>One message in a grain's mailbox; completes its task exactly once.</summary>
internal sealed class GrainWorkItem
{
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _finished;

    private GrainWorkItem(GrainWorkKind kind, Func<Grain, Task>? body, DeactivationReason reason)
    {
        Kind = kind;
        Body = body;
        Reason = reason;
    }

    public GrainWorkKind Kind { get; }

    public Func<Grain, Task>? Body { get; }

    public DeactivationReason Reason { get; }

    public Task Completion => _completion.Task;

    /// <summary>Set by the host when it counts this item as pending work (for RunUntilIdle).</summary>
    public bool Counted { get; set; }

    public static GrainWorkItem Call(Func<Grain, Task> body) => new(GrainWorkKind.Call, body, default);

    public static GrainWorkItem Timer(Func<Grain, Task> body) => new(GrainWorkKind.Timer, body, default);

    public static GrainWorkItem IdleCheck() => new(GrainWorkKind.IdleCheck, null, DeactivationReason.Idle);

    public static GrainWorkItem Deactivate(DeactivationReason reason) => new(GrainWorkKind.Deactivate, null, reason);

    /// <summary>True the first time only, so the host's pending count drops once per item.</summary>
    public bool Complete()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return false;
        }
        _completion.TrySetResult();
        return true;
    }

    public bool Fail(Exception error)
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0)
        {
            return false;
        }
        _completion.TrySetException(error);
        return true;
    }
}
