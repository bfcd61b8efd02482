namespace LiveClassroom.Media.Sdp;

/// <summary>The offer cannot be negotiated (not merely odd): no media, no ICE credentials, no fingerprint; <see cref="Reason"/> says which kind.</summary>
public sealed class SdpFormatException : FormatException
{
    public SdpFormatException()
    {
    }

    public SdpFormatException(string message) : base(message)
    {
    }

    public SdpFormatException(string message, Exception innerException) : base(message, innerException)
    {
    }

    public SdpFormatException(SdpRefusal reason, string message) : base(message)
    {
        Reason = reason;
    }

    public SdpRefusal Reason { get; } = SdpRefusal.Malformed;
}
