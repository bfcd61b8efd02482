namespace LiveClassroom.Grains.Rooms;

/// <summary>Rule settings shared by every room (config <c>Grains:ReconnectGraceSeconds</c>, <c>Grains:LeadFirstWaitSeconds</c>).</summary>
public sealed class RoomOptions
{
    /// <summary>How long a dropped participant keeps <c>Reconnecting</c> before it is marked <c>Left</c>.</summary>
    public TimeSpan ReconnectGrace { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// On a class's fresh activation whose lead was publishing, how long the other participants' media offers wait at
    /// most for the lead's negotiation, counted from the first such offer (zero: they do not wait).
    /// </summary>
    public TimeSpan LeadFirstWait { get; set; } = TimeSpan.FromSeconds(3);
}
