namespace LiveClassroom.Server.Recording;

public enum RecorderState
{
    Recording,
    Paused,
    Stopped,
    Failed,
}
