using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Pairing;

/// <summary>The persisted state of one pairing; lessons themselves are derived from the timetable, only their extras are stored.</summary>
internal sealed class PairingGrainState : RoomState
{
    public PairingDefinition? Definition { get; set; }

    public TermTimetable? Timetable { get; set; }

    /// <summary>Lesson id → chapter taught.</summary>
    public Dictionary<string, string> Chapters { get; set; } = [];

    public string? CurrentChapterLessonId { get; set; }

    /// <summary>Lesson id → live class id, once opened.</summary>
    public Dictionary<string, string> Classes { get; set; } = [];

    /// <summary>Lesson id → one rating per rural classroom.</summary>
    public Dictionary<string, List<LessonRating>> Ratings { get; set; } = [];
}
