namespace LiveClassroom.Server.Hosting;

/// <summary>
/// The clock of the product's own rules: token and ticket expiry, login limits, the school day, room deadlines.
/// It is a type of its own, not the container's <see cref="TimeProvider"/>, because the co-hosted Orleans silo reads
/// that one for membership: a clock moved by hand (as the server tests move this one) would make the silo find its own
/// heartbeat stale and declare itself dead, which ends the process. The silo keeps the system clock.
/// </summary>
public sealed class ServerClock(TimeProvider inner) : TimeProvider
{
    public static ServerClock Default { get; } = new(TimeProvider.System);

    public override DateTimeOffset GetUtcNow() => inner.GetUtcNow();

    public override long GetTimestamp() => inner.GetTimestamp();

    public override long TimestampFrequency => inner.TimestampFrequency;

    public override TimeZoneInfo LocalTimeZone => inner.LocalTimeZone;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        inner.CreateTimer(callback, state, dueTime, period);
}
