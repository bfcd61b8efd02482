namespace LiveClassroom.Grains;

/// <summary>
/// The grain could not run the call right now (its store or lease could not be reached, it lost its lease, or it
/// was deactivating). Nothing was committed by this call; retrying after a moment is safe (hub: <c>unavailable</c>).
/// </summary>
[GenerateSerializer, Alias("lc.GrainUnavailableException")]
public sealed class GrainUnavailableException : Exception
{
    public GrainUnavailableException()
    {
    }

    public GrainUnavailableException(string message) : base(message)
    {
    }

    public GrainUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
