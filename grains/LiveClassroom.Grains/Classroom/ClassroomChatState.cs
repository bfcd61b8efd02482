namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// The class's chat history, stored apart from the rest of the class (<c>grain_state</c> row kind
/// <c>classroomchat</c>): written every <see cref="ClassroomGrain.ChatFlushThreshold"/> chat changes, after the change's
/// events are out, instead of with every event. The changes since (<see cref="ClassroomGrainState.Chat"/>) travel with
/// the class's own state, whose write is the commit point of every event but a media change's (<see cref="ClassroomMediaLog"/>).
/// </summary>
internal sealed class ClassroomChatState
{
    /// <summary>+1 per write; the class's state names the version its pending chat changes apply to.</summary>
    public long Version { get; set; }

    /// <summary>The last 200 messages (pinned ones kept longer), oldest first, as they stood at this write.</summary>
    public List<ChatMessage> Messages { get; set; } = [];
}
