using System.Diagnostics;

namespace LiveClassroom.LoadTests;

/// <summary>
/// Holds a run for a while, refreshing the synthetic peers' ICE consent every 5 s as browsers do (RFC 7675 §5.1): without
/// it the SFU drops them 30 s in, which a longer run would count as loss.
/// </summary>
internal sealed class ConsentKeeper(Func<IEnumerable<SyntheticPeer>> peers)
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);
    private readonly Stopwatch _age = Stopwatch.StartNew();
    private TimeSpan _next;

    public void Hold(TimeSpan duration)
    {
        var end = _age.Elapsed + duration;
        while (_age.Elapsed < end)
        {
            if (_age.Elapsed >= _next)
            {
                foreach (var peer in peers())
                {
                    peer.RefreshConsent();
                }
                _next = _age.Elapsed + Interval;
            }
            var left = end - _age.Elapsed;
            Thread.Sleep(left < TimeSpan.FromMilliseconds(200) ? left < TimeSpan.Zero ? TimeSpan.Zero : left : TimeSpan.FromMilliseconds(200));
        }
    }
}
