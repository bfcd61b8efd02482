namespace LiveClassroom.Grains.Rooms;

/// <summary>The grain storage provider every room grain uses (the server registers it over <c>grain_state</c>).</summary>
public static class RoomStorage
{
    public const string Name = "rooms";

    /// <summary>A class's chat history, a state of its own beside the class's (<c>[PersistentState]</c> name).</summary>
    public const string ChatSection = "chat";

    /// <summary>A class's media changes since its state was last written whole (<c>[PersistentState]</c> name).</summary>
    public const string MediaSection = "media";

    /// <summary>
    /// The <c>grain_state.kind</c> of a grain's state: the pinned grain type for the grain's own state (whatever name
    /// Orleans gives it), the type followed by the section's name for a named section (<c>classroomchat</c>,
    /// <c>classroommedia</c>).
    /// </summary>
    public static string RowKind(string grainType, string stateName) =>
        stateName is ChatSection or MediaSection ? grainType + stateName : grainType;
}
