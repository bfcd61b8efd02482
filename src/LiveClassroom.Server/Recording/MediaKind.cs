namespace LiveClassroom.Server.Recording;

public enum MediaKind
{
    Audio,
    Video,
}
