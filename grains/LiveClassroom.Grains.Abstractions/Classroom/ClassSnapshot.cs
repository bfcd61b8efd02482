namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// The whole class at one moment; <see cref="Sequence"/> is the sequence number of the last event included, so a
/// client applies only events after it. <see cref="Stage"/> lists occupied stage seats (seat n feeds slot <c>stage{n}</c>).
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ClassSnapshot")]
public sealed record ClassSnapshot(
    string ClassId,
    ClassState State,
    string Title,
    string? PairingId,
    string? LessonId,
    string LeadTeacherId,
    string LeadClassroomId,
    DateTimeOffset? ScheduledStart,
    DateTimeOffset? OpenedAt,
    DateTimeOffset? EndedAt,
    int MaxOnStage,
    IReadOnlyList<ClassroomView> Classrooms,
    IReadOnlyList<ParticipantView> Participants,
    IReadOnlyList<string> HandQueue,
    IReadOnlyList<StageSeat> Stage,
    IReadOnlyList<ChatMessage> Chat,
    long Sequence);
