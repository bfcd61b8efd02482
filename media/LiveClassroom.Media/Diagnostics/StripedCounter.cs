namespace LiveClassroom.Media.Diagnostics;

/// <summary>
/// A counter the packet path adds to from several cores at once (per packet sent or forwarded): one interlocked cell
/// per stripe, each on its own cache line, picked by the managed thread id, summed when read. A single shared cell
/// would move between the cores' caches on every packet (issue #17: two workers forwarding one room's fan-out).
/// </summary>
internal sealed class StripedCounter
{
    private const int Stripes = 16;
    // 128 bytes between stripes: a cache line, and the adjacent-line prefetcher's pair.
    private const int Stride = 16;
    private readonly long[] _cells = new long[Stripes * Stride];

    public void Add(long value) =>
        Interlocked.Add(ref _cells[(Environment.CurrentManagedThreadId & (Stripes - 1)) * Stride], value);

    public void Increment() => Add(1);

    public long Value
    {
        get
        {
            long sum = 0;
            for (var i = 0; i < Stripes; i++)
            {
                sum += Interlocked.Read(ref _cells[i * Stride]);
            }
            return sum;
        }
    }
}
