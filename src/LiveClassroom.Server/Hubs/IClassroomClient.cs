namespace LiveClassroom.Server.Hubs;

/// <summary>What the classroom hub calls on its clients (docs/HUB.md, "Events").</summary>
public interface IClassroomClient : IMediaOwnerClient
{
    /// <summary>A sequenced class event; per class, in order, <c>seq</c> without gaps.</summary>
    Task RoomEvent(RoomEventMessage message);

    /// <summary>Several sequenced class events of one state write, in order, as one message (applied as each <see cref="RoomEvent"/> in turn).</summary>
    Task RoomEvents(RoomEventBatch batch);

    /// <summary>Unsequenced, to devices watching their classroom: a class of that classroom just opened.</summary>
    Task ClassOpened(ClassOpenedNotice notice);

    /// <summary>Unsequenced, to admins watching the live classes (<c>WatchLiveClasses</c>): a class in their scope opened or ended.</summary>
    Task LiveClassesChanged(LiveClassesChangedNotice notice);

    /// <summary>Unsequenced, to the one connection holding the media peer: what the SFU now sends it for its bandwidth (audio-first).</summary>
    Task MediaQuality(MediaQualityMessage message);

    /// <summary>Unsequenced, to the admins watching a class's network (<c>WatchNetwork</c>): its figures, every second or so.</summary>
    Task NetworkFigures(NetworkFrame frame);
}
