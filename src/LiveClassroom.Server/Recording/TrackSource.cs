namespace LiveClassroom.Server.Recording;

/// <summary>Where a track comes from; decides which video is the main picture (screen share wins over camera).</summary>
public enum TrackSource
{
    Camera,
    Screen,
    Microphone,
    Other,
}
