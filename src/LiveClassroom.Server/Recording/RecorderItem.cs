namespace LiveClassroom.Server.Recording;

/// <summary>One entry of a recorder's queue: a packet (pooled buffer) or a control step, processed in order.</summary>
public readonly record struct RecorderItem(RecorderItemKind Kind, RecorderTrack? Track, byte[]? Buffer, int Length, object? Arg)
{
    public static RecorderItem Control(RecorderItemKind kind, object? arg = null) => new(kind, null, null, 0, arg);
}

public enum RecorderItemKind
{
    Packet,
    RemoveTrack,
    Pause,
    Resume,
    Stop,
    PartExited,
}
