namespace LiveClassroom.Media;

/// <summary>
/// The offer is well-formed SDP but asks for more than this server allows (say too many m-sections).
/// <see cref="Reason"/> is a stable code for the caller; the message says the limit.
/// </summary>
public sealed class MediaNegotiationException : InvalidOperationException
{
    public const string TooManyMediaSections = "too_many_media_sections";

    public MediaNegotiationException()
    {
        Reason = string.Empty;
    }

    public MediaNegotiationException(string message) : base(message)
    {
        Reason = string.Empty;
    }

    public MediaNegotiationException(string message, Exception innerException) : base(message, innerException)
    {
        Reason = string.Empty;
    }

    public MediaNegotiationException(string reason, string message) : base(message)
    {
        Reason = reason;
    }

    public string Reason { get; }
}
