namespace LiveClassroom.Grains.Classroom;

/// <summary>A participant's connection: Connected, Reconnecting (dropped, place kept), Left (left or grace expired).</summary>
public enum ConnectionState
{
    Connected,
    Reconnecting,
    Left,
}
