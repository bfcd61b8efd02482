namespace LiveClassroom.Grains;

/// <summary>
/// The grain is active on another live node (it holds the lease): the caller should be sent to
/// <see cref="OwnerUrl"/> (the hub answers <c>room_moved</c> with that URL). Nothing was changed.
/// </summary>
public sealed class GrainOwnedElsewhereException : Exception
{
    public GrainOwnedElsewhereException(GrainKey key, string ownerNodeId, string ownerUrl)
        : base($"{key} is owned by node {ownerNodeId} ({ownerUrl})")
    {
        Key = key;
        OwnerNodeId = ownerNodeId;
        OwnerUrl = ownerUrl;
    }

    public GrainOwnedElsewhereException()
    {
        OwnerNodeId = string.Empty;
        OwnerUrl = string.Empty;
    }

    public GrainOwnedElsewhereException(string message) : base(message)
    {
        OwnerNodeId = string.Empty;
        OwnerUrl = string.Empty;
    }

    public GrainOwnedElsewhereException(string message, Exception innerException) : base(message, innerException)
    {
        OwnerNodeId = string.Empty;
        OwnerUrl = string.Empty;
    }

    public GrainKey Key { get; }

    public string OwnerNodeId { get; }

    public string OwnerUrl { get; }
}
