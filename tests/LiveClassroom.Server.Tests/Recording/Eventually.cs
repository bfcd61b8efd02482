namespace LiveClassroom.Server.Tests.Recording;

/// <summary>Polls a condition until it holds or a deadline passes (no fixed sleeps standing in for synchronisation).</summary>
public static class Eventually
{
    public static async Task<T> WaitAsync<T>(Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        T last;
        while (true)
        {
            last = await probe();
            if (done(last))
            {
                return last;
            }
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException($"timed out after {timeout.TotalSeconds:0} s waiting for {what}; last value: {last}");
            }
            await Task.Delay(100);
        }
    }
}
