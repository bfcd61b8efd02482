namespace LiveClassroom.Server.Tests;

/// <summary>A clock the test moves by hand: expiry is tested by advancing it, never by waiting.</summary>
public sealed class ManualTimeProvider(DateTimeOffset start) : TimeProvider
{
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow() => _now;

    public void Advance(TimeSpan by) => _now += by;
}
