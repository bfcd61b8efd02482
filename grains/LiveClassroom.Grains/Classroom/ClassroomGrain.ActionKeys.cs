namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Exactly-once client actions: chat and hand raises carrying a client-made action key are done once per
/// (principal, key); the room remembers the last <see cref="RecentActionLimit"/> keys in its persisted state, so the
/// memory survives a failover to another node with the rest of the room.
/// </summary>
internal sealed partial class ClassroomGrain
{
    /// <summary>Keys remembered per room. A client retries within seconds; 256 covers far more than one retry burst.</summary>
    internal const int RecentActionLimit = 256;

    internal const int ActionKeyMaxLength = 64;

    private const string ChatAction = "chat";
    private const string RaiseHandAction = "raise_hand";

    public async Task<ChatMessage> PostChatOnceAsync(RoomCaller caller, string text, bool isQuestion, string actionKey)
    {
        Admit(caller);
        RequireActionKey(actionKey);
        if (FindAction(caller, actionKey, ChatAction) is { } done)
        {
            var original = done.Message!;
            var trimmed = (text ?? "").Trim();
            // States written before the text was kept as a hash hold the text itself.
            var sameText = done.TextHash is { } hash ? hash == TextHash(trimmed) : original.Text == trimmed;
            if (!sameText || original.IsQuestion != isQuestion)
            {
                throw new RoomRuleException(RoomErrorCode.InvalidInput, "This action key was already used for another message.");
            }
            // The message as it stands now (pinned or dismissed since), or as first sent if it aged out of the history.
            return History.Find(m => m.MessageId == original.MessageId) ?? original with { Text = trimmed };
        }
        var message = await PostChatCoreAsync(caller, text!, isQuestion, () => Remember(caller, actionKey, ChatAction));
        return message;
    }

    public async Task RaiseHandOnceAsync(RoomCaller caller, string actionKey)
    {
        RequireClassroomMember(caller);
        RequireActionKey(actionKey);
        if (FindAction(caller, actionKey, RaiseHandAction) is not null)
        {
            // Done already: a retry must not raise again a hand the lead has since dismissed or brought on stage.
            return;
        }
        await RaiseHandCoreAsync(caller, () => Remember(caller, actionKey, RaiseHandAction));
    }

    private RecentAction? FindAction(RoomCaller caller, string actionKey, string kind)
    {
        var found = State.RecentActions.Find(a => a.PrincipalId == caller.PrincipalId && a.ActionKey == actionKey);
        if (found is not null && found.Kind != kind)
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput, "This action key was already used for another kind of action.");
        }
        return found;
    }

    private RecentAction Remember(RoomCaller caller, string actionKey, string kind)
    {
        var action = new RecentAction { PrincipalId = caller.PrincipalId, ActionKey = actionKey, Kind = kind };
        State.RecentActions.Add(action);
        if (State.RecentActions.Count > RecentActionLimit)
        {
            State.RecentActions.RemoveRange(0, State.RecentActions.Count - RecentActionLimit);
        }
        return action;
    }

    private static void RequireActionKey(string? actionKey)
    {
        if (actionKey is not { Length: > 0 and <= ActionKeyMaxLength }
            || !actionKey.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw new RoomRuleException(RoomErrorCode.InvalidInput,
                $"An action key has 1 to {ActionKeyMaxLength} characters among letters, digits, '-' and '_'.");
        }
    }
}
