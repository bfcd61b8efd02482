using System.Collections.Concurrent;
using System.Diagnostics;

namespace LiveClassroom.LoadTests.Cluster;

/// <summary>
/// Chat messages the benchmark sent, by text (each text is unique), and their deliveries: send → <c>RoomEvent</c>
/// received on each connection, recorded by whether the receiving connection is on the node hosting the class.
/// </summary>
internal sealed class ChatTracker
{
    private readonly ConcurrentDictionary<string, Sent> _sent = new();

    /// <summary>Registers a message about to be sent now; <paramref name="expected"/> deliveries complete it.</summary>
    public Sent Begin(string text, int expected, BenchNode host, Latency? toHostNode, Latency? toOtherNode)
    {
        var sent = new Sent(expected, host, toHostNode, toOtherNode);
        _sent[text] = sent;
        sent.At = Stopwatch.GetTimestamp();
        return sent;
    }

    public void OnReceived(ClassClient client, string text, long receivedAt)
    {
        if (!_sent.TryGetValue(text, out var sent))
        {
            return;
        }
        (client.Node == sent.Host ? sent.ToHostNode : sent.ToOtherNode)?.Record(sent.At, receivedAt);
        sent.Delivered(receivedAt);
    }

    internal sealed class Sent(int expected, BenchNode host, Latency? toHostNode, Latency? toOtherNode)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private int _count;
        private long _firstAt = long.MaxValue;
        private long _lastAt;

        public long At { get; set; }

        public BenchNode Host { get; } = host;

        public Latency? ToHostNode { get; } = toHostNode;

        public Latency? ToOtherNode { get; } = toOtherNode;

        public int Count => Volatile.Read(ref _count);

        /// <summary>When the first delivery arrived (Stopwatch timestamp), long.MaxValue before.</summary>
        public long FirstDeliveredAt => Interlocked.Read(ref _firstAt);

        /// <summary>When the last of the expected deliveries arrived (Stopwatch timestamp), 0 before.</summary>
        public long AllDeliveredAt => _all.Task.IsCompleted ? Interlocked.Read(ref _lastAt) : 0;

        public Task AllDelivered => _all.Task;

        public void Delivered(long at)
        {
            long seen;
            do
            {
                seen = Interlocked.Read(ref _firstAt);
            }
            while (at < seen && Interlocked.CompareExchange(ref _firstAt, at, seen) != seen);
            do
            {
                seen = Interlocked.Read(ref _lastAt);
            }
            while (at > seen && Interlocked.CompareExchange(ref _lastAt, at, seen) != seen);
            if (Interlocked.Increment(ref _count) == expected)
            {
                _all.TrySetResult();
            }
        }
    }
}
