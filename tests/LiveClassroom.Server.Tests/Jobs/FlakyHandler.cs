using System.Diagnostics;
using LiveClassroom.Server.Jobs;

namespace LiveClassroom.Server.Tests.Jobs;

/// <summary>A job kind for queue tests: fails its first <c>failures</c> attempts, then succeeds; records when it ran.</summary>
public sealed class FlakyHandler(string kind, int failures) : IJobHandler
{
    private readonly List<long> _runs = [];

    public string Kind => kind;

    public IReadOnlyList<TimeSpan> Gaps
    {
        get
        {
            lock (_runs)
            {
                return [.. _runs.Skip(1).Select((t, i) => Stopwatch.GetElapsedTime(_runs[i], t))];
            }
        }
    }

    public int Runs
    {
        get
        {
            lock (_runs)
            {
                return _runs.Count;
            }
        }
    }

    public async Task RunAsync(JobRow job, Func<int, Task> progress, CancellationToken ct)
    {
        int n;
        lock (_runs)
        {
            _runs.Add(Stopwatch.GetTimestamp());
            n = _runs.Count;
        }
        await progress(50);
        if (n <= failures)
        {
            throw new InvalidOperationException($"planned failure {n}");
        }
    }
}
