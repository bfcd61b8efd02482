namespace LiveClassroom.Server.Research;

/// <summary>
/// One person's verified participation in one session. <see cref="CreditedMinutes"/> (继续教育学时 in minutes) is the
/// whole minutes present during run segments, and only once the session has ended (<see cref="Verified"/>).
/// </summary>
public sealed record PersonParticipation(
    Guid PersonId,
    string Name,
    string Role,
    IReadOnlyList<AttendanceInterval> Presence,
    IReadOnlyList<SegmentAttendance> Segments,
    double AttendedSeconds,
    int SpeakingTurns,
    double SpokeSeconds,
    int LessonsScored,
    int Comments,
    bool Verified,
    int CreditedMinutes);
