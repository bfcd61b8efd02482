namespace LiveClassroom.Media.Sfu;

/// <summary>
/// A rate limit: tokens accrue at <see cref="Rate"/> per second up to <see cref="Burst"/>; a take fails when too few are left.
/// Not thread-safe (used under the room lock); no allocation.
/// </summary>
internal sealed class TokenBucket(double ratePerSecond, double burst)
{
    private double _tokens = burst;
    private long _lastTicks = long.MinValue;

    public double Rate { get; private set; } = ratePerSecond;

    public double Burst { get; private set; } = burst;

    /// <summary>Changes the rate (the burst follows it, as <paramref name="burstSeconds"/> of the rate, at least <paramref name="minBurst"/>).</summary>
    public void SetRate(double ratePerSecond, double burstSeconds, double minBurst)
    {
        Rate = ratePerSecond;
        Burst = Math.Max(minBurst, ratePerSecond * burstSeconds);
        // A bucket not used yet starts full.
        _tokens = _lastTicks == long.MinValue ? Burst : Math.Min(_tokens, Burst);
    }

    public bool TryTake(double amount, long nowTicks)
    {
        if (_lastTicks != long.MinValue && nowTicks > _lastTicks)
        {
            _tokens = Math.Min(Burst, _tokens + (Rate * (nowTicks - _lastTicks) / TimeSpan.TicksPerSecond));
        }
        _lastTicks = nowTicks;
        if (_tokens < amount)
        {
            return false;
        }
        _tokens -= amount;
        return true;
    }
}
