namespace LiveClassroom.Grains.Rooms;

/// <summary>The grain storage provider every room grain uses (the server registers it over <c>grain_state</c>).</summary>
public static class RoomStorage
{
    public const string Name = "rooms";
}
