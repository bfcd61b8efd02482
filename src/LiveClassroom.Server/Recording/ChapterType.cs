namespace LiveClassroom.Server.Recording;

public enum ChapterType
{
    ClassStarted,
    ClassroomOnStage,
    HandRaised,
    ScreenShareStarted,
    Custom,
}
