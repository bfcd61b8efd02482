namespace LiveClassroom.Server.Recording;

/// <summary>Default zh/en labels and the stored names of chapter types.</summary>
public static class ChapterLabels
{
    public static string Code(ChapterType type) => type switch
    {
        ChapterType.ClassStarted => "class_started",
        ChapterType.ClassroomOnStage => "classroom_on_stage",
        ChapterType.HandRaised => "hand_raised",
        ChapterType.ScreenShareStarted => "screen_share_started",
        _ => "custom",
    };

    public static (string Zh, string En) Default(ChapterType type) => type switch
    {
        ChapterType.ClassStarted => ("上课", "Class started"),
        ChapterType.ClassroomOnStage => ("课堂上台", "Classroom on stage"),
        ChapterType.HandRaised => ("举手", "Hand raised"),
        ChapterType.ScreenShareStarted => ("开始共享屏幕", "Screen share started"),
        _ => ("标记", "Mark"),
    };
}
