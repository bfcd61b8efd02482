namespace LiveClassroom.Grains.Rooms;

/// <summary>
/// The part of every room's state the host relies on: the last event sequence number, and when and by which node the
/// state was last written (a room that activates again after its node died knows that node was alive then).
/// </summary>
public class RoomState
{
    public long Sequence { get; set; }

    /// <summary>The rules' clock at the last write; null in states written before it was recorded.</summary>
    public DateTimeOffset? WrittenAt { get; set; }

    /// <summary>The silo that last wrote the state (<c>SiloAddress.ToParsableString</c>).</summary>
    public string? WrittenBy { get; set; }
}
