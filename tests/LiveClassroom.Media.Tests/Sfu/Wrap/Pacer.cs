namespace LiveClassroom.Media.Tests.Sfu.Wrap;

/// <summary>
/// Sends in bounded bursts and waits (on a condition, with a deadline) until the subscriber has everything expected so
/// far, so loopback socket buffers never overflow however fast the machine is.
/// </summary>
internal sealed class Pacer(ArrivalLog log, Func<string> diagnostics)
{
    public const int Burst = 250;
    private static readonly TimeSpan CatchUpTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Packets the subscriber should have decrypted by now.</summary>
    public long Expected { get; set; }

    /// <summary>Runs <paramref name="send"/> for indices first..first+count-1; it returns how many packets the subscriber should get for that index.</summary>
    public void Send(int first, int count, Func<int, int> send, int burst = Burst)
    {
        for (var start = first; start < first + count; start += burst)
        {
            var end = Math.Min(first + count, start + burst);
            for (var i = start; i < end; i++)
            {
                Expected += send(i);
            }
            CatchUp();
        }
    }

    public void CatchUp()
    {
        var expected = Expected;
        Assert.True(WrapFixture.WaitUntil(() => log.Count >= expected, CatchUpTimeout),
            $"subscriber has {log.Count} of {expected} packets; {diagnostics()}");
    }
}
