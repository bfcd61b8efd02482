namespace LiveClassroom.Media.Sfu;

/// <summary>
/// When a subscriber's paused video may next try to come back (docs/BANDWIDTH.md, "Resuming a paused video"). A try is
/// a validating probe at the lowest layer's need; it fails when the link refuses the probe (it answered: over-use, delay
/// grew, loss grew, saturated — not silence, which is an outage) or when the video it let through pauses again within
/// <see cref="LayerGate.FailWindow"/>. Each failure doubles the wait before the next try, from <see cref="FirstBackoff"/>
/// up to <see cref="MaxBackoff"/>; video that has held <see cref="LayerGate.TrustAfter"/> forgets the failures.
/// State: idle → (failure) → backing off until <see cref="NextTryTicks"/> → (resumed) → on trial → (pauses within the
/// fail window: failure) | (holds: idle, failures forgotten).
/// Plain data under the room lock; times are ticks.
/// </summary>
internal sealed class ResumeBackoff
{
    public static readonly long FirstBackoff = TimeSpan.FromSeconds(2).Ticks;

    /// <summary>
    /// The longest wait between tries. Each refused try costs the audio on the link a little (the probe overflows the
    /// rate limiter once its burst is spent), so the waits grow; but the wait is also how long video stays away after
    /// the link comes back (the target: back within 10 s of a 150 kbit/s link returning to 1 Mbit/s; a try
    /// takes up to 1.5 s, its feedback up to 1 s, the keyframe and ten frames about a second more).
    /// </summary>
    public static readonly long MaxBackoff = TimeSpan.FromSeconds(5).Ticks;

    private long _resumedTicks;

    public int Failures { get; private set; }

    /// <summary>No try before this (ticks; 0: any time).</summary>
    public long NextTryTicks { get; private set; }

    public bool MayTry(long now) => now >= NextTryTicks;

    /// <summary>The video resumed (a try succeeded); it is on trial for <see cref="LayerGate.FailWindow"/>.</summary>
    public void Resumed(long now) => _resumedTicks = now;

    /// <summary>The video resumed less than <see cref="LayerGate.FailWindow"/> ago: not yet shown to hold.</summary>
    public bool OnTrial(long now) => _resumedTicks != 0 && now - _resumedTicks < LayerGate.FailWindow;

    /// <summary>A try's probe was refused by the link.</summary>
    public void Refused(long now) => Fail(now);

    /// <summary>The video paused: within the fail window of a resume, that resume failed.</summary>
    public void Paused(long now)
    {
        if (OnTrial(now))
        {
            Fail(now);
        }
        _resumedTicks = 0;
    }

    /// <summary>Every tick while video flows: once it has held <see cref="LayerGate.TrustAfter"/> since resuming, the failures are forgotten.</summary>
    public void Held(long now)
    {
        if (_resumedTicks != 0 && now - _resumedTicks >= LayerGate.TrustAfter)
        {
            _resumedTicks = 0;
            Failures = 0;
            NextTryTicks = 0;
        }
    }

    private void Fail(long now)
    {
        Failures++;
        NextTryTicks = now + Math.Min(FirstBackoff << Math.Min(Failures - 1, 16), MaxBackoff);
    }
}
