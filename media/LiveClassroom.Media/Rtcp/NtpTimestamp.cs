namespace LiveClassroom.Media.Rtcp;

// RFC 3550 §4: 64-bit NTP timestamps (seconds since 1900 in the top 32 bits); §6.4.1: LSR/DLSR use the middle 32 bits
// and 1/65536 s units, so round-trip time = arrival - LSR - DLSR in those units.
internal static class NtpTimestamp
{
    private static readonly DateTimeOffset Epoch = new(1900, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static ulong FromDateTime(DateTimeOffset time)
    {
        var ticks = (time - Epoch).Ticks;
        var seconds = (ulong)(ticks / TimeSpan.TicksPerSecond);
        var fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * 0x1_0000_0000UL / (ulong)TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    public static uint Compact(ulong ntp) => (uint)(ntp >> 16);

    /// <summary>Round-trip time from a report block (RFC 3550 §6.4.1), or null when the block carries no LSR.</summary>
    public static TimeSpan? RoundTrip(uint arrivalCompact, uint lastSenderReport, uint delaySinceLastSenderReport)
    {
        if (lastSenderReport == 0)
        {
            return null;
        }
        var units = unchecked(arrivalCompact - lastSenderReport - delaySinceLastSenderReport);
        if (units > 0x7FFFFFFF)
        {
            return TimeSpan.Zero;
        }
        return TimeSpan.FromTicks((long)units * TimeSpan.TicksPerSecond / 65536);
    }
}
