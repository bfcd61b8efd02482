namespace LiveClassroom.Server.Recording;

/// <summary>
/// One entry of a recorder's queue: a packet (pooled buffer) or a control step, processed in order. <see cref="Arrival"/>
/// is when it was queued (Environment.TickCount64 ms): the loop times settling and gates by it, not by when it gets to
/// the item, so a loop that lags (a part starting on a loaded machine) decides as it would have on time.
/// </summary>
public readonly record struct RecorderItem(RecorderItemKind Kind, RecorderTrack? Track, byte[]? Buffer, int Length, object? Arg, long Arrival)
{
    public static RecorderItem Control(RecorderItemKind kind, object? arg = null) => new(kind, null, null, 0, arg, Environment.TickCount64);
}

public enum RecorderItemKind
{
    Packet,
    RemoveTrack,
    Pause,
    Resume,
    Stop,
    HandOff,
    PartExited,
    PartBound,
}
