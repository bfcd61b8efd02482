namespace LiveClassroom.EndToEnd.Tests.Harness;

/// <summary>Cumulative video receive counters of a page's main slot (getStats inbound-rtp).</summary>
public sealed record VideoReceipt(long Freezes = 0, double FreezeSeconds = 0, long Plis = 0, long Nacks = 0, long Keyframes = 0, long Dropped = 0,
    long Lost = 0, long Received = 0);
