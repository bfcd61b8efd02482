namespace LiveClassroom.Server.Research;

/// <summary>
/// The <c>Idempotency-Key</c> request header of a comment: the client makes one per user action and sends it again on
/// every retry of that action, so the comment is stored once (docs/API-RESEARCH.md, "Idempotency-Key").
/// </summary>
public static class IdempotencyKey
{
    public const string Header = "Idempotency-Key";

    /// <summary>Set on the answer to a retry: the body is the comment stored by the first attempt.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public const int MaxLength = 64;

    /// <summary>The key, or null when the request has none; a malformed key is refused (400 invalid_idempotency_key).</summary>
    public static string? From(HttpRequest request)
    {
        var values = request.Headers[Header];
        if (values.Count == 0)
        {
            return null;
        }
        var key = values.Count == 1 ? values[0] : null;
        if (key is not { Length: > 0 and <= MaxLength } || !key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw ResearchApiException.BadRequest("invalid_idempotency_key",
                $"'{Header}' has 1 to {MaxLength} characters among letters, digits, '-' and '_'.",
                $"{Header} 须为 1 到 {MaxLength} 个字母、数字、“-”或“_”。");
        }
        return key;
    }

    /// <summary>A key already used by this author for a different comment: the client reused a key across actions.</summary>
    public static ResearchApiException Reused() => ResearchApiException.Conflict("idempotency_key_reused",
        $"This {Header} was already used for a different comment.",
        $"此 {Header} 已用于另一条评论。");
}
