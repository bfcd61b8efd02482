namespace LiveClassroom.Media.Tests;

/// <summary>
/// Deterministic malformed inputs for parser robustness tests: every truncation of a valid sample, random bytes,
/// byte-flipped samples, and samples with trailing junk. Seeded, bounded, allocation of one buffer reused per input.
/// </summary>
internal static class FuzzInputs
{
    /// <summary>Calls <paramref name="visit"/> with <paramref name="count"/> inputs derived from <paramref name="samples"/>.</summary>
    public static void Run(int seed, int count, IReadOnlyList<byte[]> samples, Action<byte[], int> visit)
    {
        var random = new Random(seed);
        var buffer = new byte[4096];
        var produced = 0;
        foreach (var sample in samples)
        {
            for (var length = 0; length <= sample.Length && produced < count; length++, produced++)
            {
                sample.AsSpan(0, length).CopyTo(buffer);
                visit(buffer, length);
            }
        }
        while (produced < count)
        {
            var sample = samples[random.Next(samples.Count)];
            int length;
            switch (produced % 4)
            {
                case 0:
                    length = random.Next(0, 1600);
                    random.NextBytes(buffer.AsSpan(0, length));
                    break;
                case 1:
                case 2:
                    sample.CopyTo(buffer, 0);
                    length = sample.Length;
                    var flips = 1 + random.Next(4);
                    for (var f = 0; f < flips && length > 0; f++)
                    {
                        buffer[random.Next(length)] = (byte)random.Next(256);
                    }
                    break;
                default:
                    sample.CopyTo(buffer, 0);
                    var extra = random.Next(1, 1200);
                    random.NextBytes(buffer.AsSpan(sample.Length, extra));
                    length = sample.Length + extra;
                    break;
            }
            visit(buffer, length);
            produced++;
        }
    }
}
