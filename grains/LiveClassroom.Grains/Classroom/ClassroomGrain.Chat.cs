using System.Security.Cryptography;
using System.Text;
using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Where the chat history is kept. Every event's turn writes the class's state before publishing (the commit point of
/// its sequence number), so that state stays small: the 200-message history is its own row, rewritten once every
/// <see cref="ChatFlushThreshold"/> chat changes after their events are out, and the class's state carries only the
/// changes since (a log of at most that many messages). Loading applies them to the stored history, so a history
/// write that never happened (a crash, a failed write) loses nothing, and a state of the version that kept the whole
/// history in the class's state loads as a log of every message.
/// </summary>
internal sealed partial class ClassroomGrain
{
    /// <summary>
    /// Chat changes (messages posted, pinned, dismissed) carried by the class's state before the history is rewritten:
    /// bounds what every event writes. The ids of messages aged out meanwhile come one per message posted, so no more.
    /// </summary>
    internal const int ChatFlushThreshold = 16;

    private readonly IPersistentState<ClassroomChatState> _chatHistory;

    /// <summary>The chat history as it stands (stored history + the changes since), oldest first.</summary>
    private List<ChatMessage> History => _chatHistory.State.Messages;

    /// <summary>Applies the class state's pending chat changes to the stored history (on activation, before anything).</summary>
    private void LoadChat()
    {
        if (_chatHistory.State.Version > State.ChatVersion)
        {
            // The history was written after these changes were logged: it holds them already.
            State.Chat.Clear();
            State.ChatDropped.Clear();
            State.ChatVersion = _chatHistory.State.Version;
            return;
        }
        foreach (var m in State.Chat)
        {
            var i = History.FindIndex(x => x.MessageId == m.MessageId);
            if (i >= 0)
            {
                History[i] = m;
            }
            else
            {
                History.Add(m);
            }
        }
        History.RemoveAll(m => State.ChatDropped.Contains(m.MessageId));
    }

    /// <summary>Records a message posted or changed, for the next write of the class's state.</summary>
    private void LogChat(ChatMessage message)
    {
        var i = State.Chat.FindIndex(x => x.MessageId == message.MessageId);
        if (i >= 0)
        {
            State.Chat[i] = message;
        }
        else
        {
            State.Chat.Add(message);
        }
    }

    private void DropChat(int index)
    {
        var id = History[index].MessageId;
        History.RemoveAt(index);
        State.Chat.RemoveAll(m => m.MessageId == id);
        State.ChatDropped.Add(id);
    }

    /// <summary>Call after <see cref="RoomGrain{TState}.CommitAsync"/>: rewrites the history once enough changes are logged.</summary>
    private async Task FlushChatIfDueAsync()
    {
        if (State.Chat.Count >= ChatFlushThreshold)
        {
            await FlushChatAsync();
        }
    }

    /// <summary>
    /// Writes the history; the class's state on disk keeps its (now redundant) log until its next write, and a load in
    /// between sees the newer history version and ignores it. A failed write is only logged: the log still holds it all.
    /// </summary>
    private async Task FlushChatAsync()
    {
        _chatHistory.State.Version = State.ChatVersion + 1;
        try
        {
            await _chatHistory.WriteStateAsync();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _chatHistory.State.Version = State.ChatVersion;
            ClassroomGrainLog.ChatHistoryWriteFailed(Logger, ex, Key);
            if (ex is Orleans.Storage.InconsistentStateException)
            {
                // Another activation wrote it: this one is stale; the next call loads both rows again.
                DeactivateOnIdle();
            }
            return;
        }
        State.ChatVersion = _chatHistory.State.Version;
        State.Chat.Clear();
        State.ChatDropped.Clear();
    }

    /// <summary>What a chat action key remembers of the text: its hash (the retry brings the text again).</summary>
    private static string TextHash(string text) =>
        Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
