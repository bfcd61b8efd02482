namespace LiveClassroom.Grains.Ports;

/// <summary>
/// <see cref="IMediaControl.NegotiateAsync"/> refused the offer for a stated <see cref="Reason"/>. The room is untouched;
/// only the caller is told. <see cref="Exception.Message"/> is the media plane's own wording, safe to show.
/// </summary>
[GenerateSerializer, Alias("lc.MediaRefusedException")]
public sealed class MediaRefusedException : Exception
{
    public MediaRefusedException(MediaRefusal reason, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Reason = reason;
    }

    public MediaRefusedException()
    {
    }

    public MediaRefusedException(string message) : base(message)
    {
    }

    public MediaRefusedException(string message, Exception innerException) : base(message, innerException)
    {
    }

    [Id(0)]
    public MediaRefusal Reason { get; } = MediaRefusal.Malformed;
}
