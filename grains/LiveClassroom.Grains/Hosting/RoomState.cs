namespace LiveClassroom.Grains.Hosting;

/// <summary>The part of every room's state the host relies on: the last event sequence number.</summary>
internal class RoomState
{
    public long Sequence { get; set; }
}
