namespace LiveClassroom.Grains.Ports;

/// <summary>
/// The media plane refused a well-formed offer because it exceeds a limit (say too many m-sections).
/// <see cref="Reason"/> is a stable code; the message states the limit and is safe to show to the offer's sender.
/// </summary>
[GenerateSerializer, Alias("lc.MediaOfferRefusedException")]
public sealed class MediaOfferRefusedException : Exception
{
    public MediaOfferRefusedException(string reason, string message) : base(message)
    {
        Reason = reason;
    }

    public MediaOfferRefusedException()
    {
        Reason = string.Empty;
    }

    public MediaOfferRefusedException(string message) : base(message)
    {
        Reason = string.Empty;
    }

    public MediaOfferRefusedException(string message, Exception innerException) : base(message, innerException)
    {
        Reason = string.Empty;
    }

    [Id(0)]
    public string Reason { get; }
}
