using System.Globalization;

namespace LiveClassroom.Grains.Classroom;

/// <summary>The floor: raised hands, the stage, the lead's mute, chat and Q&amp;A.</summary>
internal sealed partial class ClassroomGrain
{
    private const int ChatHistoryLimit = 200;
    private const int ChatTextLimit = 500;

    public Task RaiseHandAsync(RoomCaller caller) => RaiseHandCoreAsync(caller, remember: null);

    /// <param name="remember">Records the action key (<see cref="RaiseHandOnceAsync"/>), committed with the change.</param>
    private async Task RaiseHandCoreAsync(RoomCaller caller, Func<RecentAction>? remember)
    {
        var classroomId = RequireClassroomMember(caller);
        RequireLive();
        if (State.HandQueue.Contains(classroomId) || State.StageSeats.Contains(classroomId))
        {
            if (remember is not null)
            {
                remember();
                await CommitAsync();
            }
            return;
        }
        remember?.Invoke();
        State.HandQueue.Add(classroomId);
        Emit(ClassEventTypes.HandQueueChanged, new HandQueueChanged([.. State.HandQueue], classroomId, "raised"));
        await CommitAsync();
    }

    public async Task LowerHandAsync(RoomCaller caller)
    {
        var classroomId = RequireClassroomMember(caller);
        RequireLive();
        if (State.HandQueue.Remove(classroomId))
        {
            Emit(ClassEventTypes.HandQueueChanged, new HandQueueChanged([.. State.HandQueue], classroomId, "lowered"));
            await CommitAsync();
        }
    }

    public async Task DismissHandAsync(RoomCaller caller, string classroomId)
    {
        RequireLead(caller);
        RequireLive();
        RequireClassroom(classroomId);
        if (State.HandQueue.Remove(classroomId))
        {
            Emit(ClassEventTypes.HandQueueChanged, new HandQueueChanged([.. State.HandQueue], classroomId, "dismissed"));
            await CommitAsync();
        }
    }

    public async Task BringOnStageAsync(RoomCaller caller, string classroomId)
    {
        RequireLead(caller);
        RequireLive();
        var classroom = RequireClassroom(classroomId);
        if (classroom.IsLead)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "The lead classroom is always seen; only rural classrooms go on stage.");
        }
        if (State.StageSeats.Contains(classroomId))
        {
            return;
        }
        var seat = State.StageSeats.IndexOf(null);
        if (seat < 0)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidState, $"The stage is full ({State.StageSeats.Count} classrooms); take one off first.");
        }
        State.StageSeats[seat] = classroomId;
        if (State.HandQueue.Remove(classroomId))
        {
            Emit(ClassEventTypes.HandQueueChanged, new HandQueueChanged([.. State.HandQueue], classroomId, "on_stage"));
        }
        Emit(ClassEventTypes.StageChanged, StageNow());
        await CommitAsync();
        await RouteAllAsync();
    }

    public async Task TakeOffStageAsync(RoomCaller caller, string classroomId)
    {
        RequireLead(caller);
        RequireLive();
        RequireClassroom(classroomId);
        var seat = State.StageSeats.IndexOf(classroomId);
        if (seat < 0)
        {
            return;
        }
        State.StageSeats[seat] = null;
        Emit(ClassEventTypes.StageChanged, StageNow());
        await CommitAsync();
        await RouteAllAsync();
    }

    public async Task SetClassroomMutedAsync(RoomCaller caller, string classroomId, bool muted)
    {
        // Lead only, whichever way: a muted classroom must not be able to unmute itself.
        RequireLead(caller);
        RequireLive();
        var classroom = RequireClassroom(classroomId);
        if (classroom.MutedByLead == muted)
        {
            return;
        }
        classroom.MutedByLead = muted;
        Emit(ClassEventTypes.MuteChanged, new MuteChanged(classroomId, muted));
        await CommitAsync();
        foreach (var p in State.Participants.Where(p => p.ClassroomId == classroomId && p.PeerId is not null && p.Connection == ConnectionState.Connected))
        {
            var peer = p.PeerId!;
            await TryMediaForAsync("mute", peer, m => m.SetPublisherAudioMutedAsync(Key.Id, peer, muted));
        }
    }

    public Task<ChatMessage> PostChatAsync(RoomCaller caller, string text, bool isQuestion) =>
        PostChatCoreAsync(caller, text, isQuestion, remember: null);

    /// <param name="remember">Records the action key (<see cref="PostChatOnceAsync"/>), committed with the message.</param>
    private async Task<ChatMessage> PostChatCoreAsync(RoomCaller caller, string text, bool isQuestion, Func<RecentAction>? remember)
    {
        var role = Admit(caller);
        RequireLive();
        var p = RequireJoined(caller);
        var trimmed = (text ?? "").Trim();
        if (trimmed.Length == 0 || trimmed.Length > ChatTextLimit)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, $"A message has 1 to {ChatTextLimit} characters.");
        }
        State.LastMessageNumber++;
        var message = new ChatMessage(
            State.LastMessageNumber.ToString(CultureInfo.InvariantCulture),
            p.PrincipalId,
            p.DisplayName,
            ClassroomOf(caller, role),
            trimmed,
            isQuestion,
            Time.GetUtcNow(),
            Pinned: false,
            Dismissed: false,
            p.Kind);
        History.Add(message);
        LogChat(message);
        if (History.Count > ChatHistoryLimit)
        {
            // Drop the oldest unpinned message: pinned ones are what the lead wants kept in view.
            var drop = History.FindIndex(m => !m.Pinned);
            DropChat(drop >= 0 ? drop : 0);
        }
        if (remember is not null)
        {
            // The text is not kept twice: a retry brings it again and is checked against its hash.
            var action = remember();
            action.Message = message with { Text = "" };
            action.TextHash = TextHash(trimmed);
        }
        Emit(ClassEventTypes.ChatMessage, message);
        await CommitAsync();
        await FlushChatIfDueAsync();
        return message;
    }

    public async Task PinMessageAsync(RoomCaller caller, string messageId, bool pinned)
    {
        RequireLead(caller);
        RequireLive();
        var i = RequireMessage(messageId);
        if (History[i].Pinned == pinned)
        {
            return;
        }
        History[i] = History[i] with { Pinned = pinned };
        LogChat(History[i]);
        Emit(ClassEventTypes.MessagePinned, History[i]);
        await CommitAsync();
        await FlushChatIfDueAsync();
    }

    public async Task DismissMessageAsync(RoomCaller caller, string messageId)
    {
        RequireLead(caller);
        RequireLive();
        var i = RequireMessage(messageId);
        if (History[i].Dismissed)
        {
            return;
        }
        History[i] = History[i] with { Dismissed = true, Pinned = false };
        LogChat(History[i]);
        Emit(ClassEventTypes.MessageDismissed, History[i]);
        await CommitAsync();
        await FlushChatIfDueAsync();
    }

    private int RequireMessage(string messageId)
    {
        var i = History.FindIndex(m => m.MessageId == messageId);
        return i >= 0 ? i : throw new RoomRuleException(RoomErrorCode.NotFound, "No such message (it may have aged out of the history).");
    }
}
