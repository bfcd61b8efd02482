namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// A client action the room has done, by the key the client gave it (scoped to the principal), so a retry of the same
/// action after a lost answer or a failover returns the first result instead of doing it again.
/// </summary>
internal sealed class RecentAction
{
    public string PrincipalId { get; set; } = "";

    public string ActionKey { get; set; } = "";

    /// <summary><c>chat</c> or <c>raise_hand</c>: a key reused for another kind of action is refused.</summary>
    public string Kind { get; set; } = "";

    /// <summary>
    /// The message a chat action posted, as first returned (it may since have aged out of the history), without its
    /// text when <see cref="TextHash"/> is set: a retry brings the text again. (States written before the hash hold
    /// the text here.)
    /// </summary>
    public ChatMessage? Message { get; set; }

    /// <summary>SHA-256 (Base64) of the chat message's text; null in states written before it was kept.</summary>
    public string? TextHash { get; set; }
}
