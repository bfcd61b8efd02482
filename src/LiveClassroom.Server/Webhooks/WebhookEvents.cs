namespace LiveClassroom.Server.Webhooks;

/// <summary>The event types a webhook may subscribe to (docs/OPERATIONS.md, "Webhooks").</summary>
public static class WebhookEvents
{
    public const string ClassOpened = "class.opened";
    public const string ClassEnded = "class.ended";
    public const string AttendanceClosed = "attendance.closed";
    public const string RecordingReady = "recording.ready";
    public const string RecordingPublished = "recording.published";
    public const string RecordingTakenDown = "recording.taken_down";
    public const string ResearchSessionEnded = "research.session_ended";
    public const string ReviewDecided = "review.decided";
    public const string RegistrationDecided = "registration.decided";

    public static IReadOnlyList<string> All { get; } =
    [
        ClassOpened, ClassEnded, AttendanceClosed, RecordingReady, RecordingPublished, RecordingTakenDown,
        ResearchSessionEnded, ReviewDecided, RegistrationDecided,
    ];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
