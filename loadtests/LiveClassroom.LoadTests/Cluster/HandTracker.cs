using System.Collections.Concurrent;

namespace LiveClassroom.LoadTests.Cluster;

/// <summary>
/// Hand raises the soak made, by class and classroom (one raised at a time per classroom), and when each lead-teacher
/// connection of that class saw its <c>HandQueueChanged</c> "raised" event: RaiseHand sent → the lead sees it.
/// </summary>
internal sealed class HandTracker
{
    private readonly ConcurrentDictionary<(string ClassId, string ClassroomId), Raise> _pending = new();

    public Raise Begin(string classId, string classroomId, int expected, Latency latency, long at)
    {
        var raise = new Raise(expected, latency, at);
        _pending[(classId, classroomId)] = raise;
        return raise;
    }

    public void End(string classId, string classroomId) => _pending.TryRemove((classId, classroomId), out _);

    public void OnHand(ClassClient client, string classroomId, string change, long receivedAt)
    {
        if (change == "raised" && client.Identity.Label == "teacher" && _pending.TryGetValue((client.ClassId, classroomId), out var raise))
        {
            raise.Seen(receivedAt);
        }
    }

    internal sealed class Raise(int expected, Latency latency, long at)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;

        public int Count => Volatile.Read(ref _count);

        public Task AllSeen => _all.Task;

        public void Seen(long receivedAt)
        {
            latency.Record(at, receivedAt);
            if (Interlocked.Increment(ref _count) == expected)
            {
                _all.TrySetResult();
            }
        }
    }
}
