namespace LiveClassroom.Media.Sfu;

/// <summary>A recorder's tap on a track: its callback and, for video, which layer it takes (<see cref="TapLayerChoice"/>).</summary>
internal sealed class TrackTap(RtpPacketTap callback, TapLayerChoice choice)
{
    public RtpPacketTap Callback { get; } = callback;

    /// <summary>Shared by re-registrations of the same callback (a recorder re-registers to ask for a keyframe), so its stream stays continuous.</summary>
    public TapLayerChoice Choice { get; } = choice;
}
