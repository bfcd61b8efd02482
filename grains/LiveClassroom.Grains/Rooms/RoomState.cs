namespace LiveClassroom.Grains.Rooms;

/// <summary>The part of every room's state the host relies on: the last event sequence number.</summary>
public class RoomState
{
    public long Sequence { get; set; }
}
