using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// A node's media quality port as the server wires it (<c>MediaQualityNotifier</c>), except that a test can hold the
/// claims arriving on this node (<see cref="Hold"/>) until it lets them go: to show what does and does not wait for a
/// claim. A held claim waits at most <see cref="MaxHold"/>, so a caller that wrongly waits for it gets its answer late
/// (and the test sees the claim completed first) instead of hanging.
/// </summary>
public sealed class HoldableQualityNotices(IMediaQualityNotices inner) : IMediaQualityNotices
{
    public static readonly TimeSpan MaxHold = TimeSpan.FromSeconds(20);

    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Done)> _waiting = [];
    private ManualResetEventSlim? _gate;
    private int _completed;

    /// <summary>Claims from other nodes this node has carried out so far.</summary>
    public int Completed
    {
        get
        {
            lock (_lock)
            {
                return _completed;
            }
        }
    }

    /// <summary>Completes once <paramref name="count"/> claims have been carried out here (the hub's answer no longer waits for them).</summary>
    public Task CompletedAsync(int count)
    {
        lock (_lock)
        {
            if (_completed >= count)
            {
                return Task.CompletedTask;
            }
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add((count, done));
            // A guard against a claim that never comes, not a measure of speed.
            return done.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Holds every claim arriving here until the returned handle is disposed.</summary>
    public IDisposable Hold()
    {
        var gate = new ManualResetEventSlim(false);
        Volatile.Write(ref _gate, gate);
        return new Release(this, gate);
    }

    public bool Claim(string roomId, string peerId, string ownerNodeId, long sequence)
    {
        // The port is synchronous (the media node grain's call runs it inline): a held claim blocks that one call only.
        Volatile.Read(ref _gate)?.Wait(MaxHold);
        try
        {
            return inner.Claim(roomId, peerId, ownerNodeId, sequence);
        }
        finally
        {
            lock (_lock)
            {
                _completed++;
                foreach (var waiter in _waiting.Where(w => w.Count <= _completed).ToList())
                {
                    waiter.Done.SetResult();
                    _waiting.Remove(waiter);
                }
            }
        }
    }

    public Task DeliverAsync(string roomId, string peerId, MediaQualityNotice notice) => inner.DeliverAsync(roomId, peerId, notice);

    private sealed class Release(HoldableQualityNotices owner, ManualResetEventSlim gate) : IDisposable
    {
        public void Dispose()
        {
            Interlocked.CompareExchange(ref owner._gate, null, gate);
            gate.Set();
        }
    }
}
