namespace LiveClassroom.Server.Hubs;

/// <summary>What every room hub with media can tell a client about the media peer it held.</summary>
public interface IMediaOwnerClient
{
    /// <summary>Another connection of the same account negotiated media in this room and now holds the peer.</summary>
    Task MediaTakenOver(MediaTakenOverMessage message);
}
