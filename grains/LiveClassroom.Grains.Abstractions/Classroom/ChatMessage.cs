namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// A chat message or question. History is bounded (oldest dropped); text is limited in length. <see cref="FromKind"/>:
/// whether a person or a classroom's device wrote it (pages name a device by its classroom; null in messages from
/// before it was kept).
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ChatMessage")]
public sealed record ChatMessage(
    string MessageId,
    string FromPrincipalId,
    string FromName,
    string? FromClassroomId,
    string Text,
    bool IsQuestion,
    DateTimeOffset At,
    bool Pinned,
    bool Dismissed,
    PrincipalKind? FromKind = null);
