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
    long Sequence)
{
    /// <summary>
    /// The snapshot as a page of rural classroom <paramref name="classroomId"/> is given it (docs/HUB.md, "What a rural
    /// classroom's page is sent"): without the participants of other rural classrooms that are off stage, whose presence
    /// and media that page is not sent either. Everyone else stays: the lead, observers, its own classroom, the stage.
    /// Why: after the class's node dies every page joins again, and 600 pages each given all 600 participants (~0.4 KB
    /// each) is ~150 MB of snapshots, built and sent while the class is starting over.
    /// </summary>
    public ClassSnapshot ForRuralClassroom(string classroomId)
    {
        List<ParticipantView>? kept = null;
        for (var i = 0; i < Participants.Count; i++)
        {
            var p = Participants[i];
            var shown = p.Role != RoomRole.Classroom || p.ClassroomId is null || p.ClassroomId == classroomId || p.OnStage;
            if (shown)
            {
                kept?.Add(p);
            }
            else if (kept is null)
            {
                kept = [.. Participants.Take(i)];
            }
        }
        return kept is null ? this : this with { Participants = kept };
    }
}
