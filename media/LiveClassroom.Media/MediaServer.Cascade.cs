namespace LiveClassroom.Media;

public sealed partial class MediaServer
{
    /// <summary>Browser peers in all rooms (a cascade's relay stand-ins not counted): this node's load.</summary>
    public int BrowserPeerCount
    {
        get
        {
            var count = 0;
            foreach (var room in _rooms.Values)
            {
                count += room.BrowserPeerCount();
            }
            return count;
        }
    }
}
