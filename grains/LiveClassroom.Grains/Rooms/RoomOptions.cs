namespace LiveClassroom.Grains.Rooms;

/// <summary>Rule settings shared by every room (config <c>Grains:ReconnectGraceSeconds</c>).</summary>
public sealed class RoomOptions
{
    /// <summary>How long a dropped participant keeps <c>Reconnecting</c> before it is marked <c>Left</c>.</summary>
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromSeconds(60);
}
