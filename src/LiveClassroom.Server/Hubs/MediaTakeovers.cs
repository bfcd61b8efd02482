using LiveClassroom.Grains.Cascade;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using Microsoft.AspNetCore.SignalR;
using Orleans.Runtime;

namespace LiveClassroom.Server.Hubs;

/// <summary>
/// <c>MediaTakenOver</c> for both room hubs, on whichever node each connection is (docs/HUB.md; issue #17): a second tab or
/// device of the same account negotiated media in the room, and the connection that held the peer stops instead of
/// fighting back. Each Negotiate names its connection and node to the room grain (<see cref="MediaOffer.Holder"/>); the
/// grain, which orders the negotiations of every node for a peer, answers with the connection that held the peer before
/// (<see cref="MediaAnswer.PreviousHolder"/>). On this node it is told here; on another node that node's
/// <see cref="IMediaNodeGrain"/> is asked to tell it, and the Negotiate does not wait for that (a node that does not
/// answer would hold the answer for Orleans' response timeout). No extra call in the common case: the holder rides on
/// the grain call the Negotiate makes anyway.
/// </summary>
public sealed partial class MediaTakeovers(
    IServiceProvider services,
    ClassConnections classes,
    ResearchConnections research,
    IHubContext<ClassroomHub, IClassroomClient> classHub,
    IHubContext<ResearchHub, IResearchClient> researchHub,
    ILogger<MediaTakeovers> logger) : IMediaTakeovers
{
    private const int MaxIdLength = 200;

    private string? _nodeId;
    private long _dropped;

    /// <summary>This node, as holders name it (its silo address).</summary>
    public string NodeId => _nodeId ??= services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

    /// <summary>Take-overs from other nodes not delivered for bad ids (a test reads it).</summary>
    internal long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>What a Negotiate on <paramref name="connectionId"/> here tells its room grain about itself.</summary>
    public MediaHolder Holder(string connectionId) => new(NodeId, connectionId);

    /// <summary>
    /// After <paramref name="connectionId"/> here negotiated the principal's media peer: it now gets the peer's notices, and
    /// <paramref name="previous"/> (the grain's answer), if any, is told it was taken over: awaited here, handed off elsewhere.
    /// </summary>
    public Task TookOverAsync(MediaRoomKind kind, string roomId, string principalId, string connectionId, MediaHolder? previous)
    {
        if (kind == MediaRoomKind.Class)
        {
            classes.ClaimMedia(roomId, principalId, connectionId);
        }
        else
        {
            research.ClaimMedia(roomId, principalId, connectionId);
        }
        if (previous is null)
        {
            return Task.CompletedTask;
        }
        if (previous.NodeId == NodeId)
        {
            return TellTakenOverAsync(kind, roomId, principalId, previous.ConnectionId);
        }
        _ = TellOtherNodeAsync(kind, roomId, principalId, previous);
        return Task.CompletedTask;
    }

    public async Task TellTakenOverAsync(MediaRoomKind kind, string roomId, string principalId, string connectionId)
    {
        if (!IsId(roomId) || !IsId(principalId) || !IsId(connectionId) || !Enum.IsDefined(kind))
        {
            Interlocked.Increment(ref _dropped);
            return;
        }
        var stillThere = kind == MediaRoomKind.Class
            ? classes.ReleaseMedia(roomId, principalId, connectionId)
            : research.ReleaseMedia(roomId, principalId, connectionId);
        if (!stillThere)
        {
            return;
        }
        LogMediaTakenOver(logger, roomId);
        var message = new MediaTakenOverMessage(roomId);
        try
        {
            await (kind == MediaRoomKind.Class
                ? classHub.Clients.Client(connectionId).MediaTakenOver(message)
                : researchHub.Clients.Client(connectionId).MediaTakenOver(message));
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or OperationCanceledException)
        {
            LogNotDelivered(logger, roomId, ex.GetType().Name);
        }
    }

    private async Task TellOtherNodeAsync(MediaRoomKind kind, string roomId, string principalId, MediaHolder previous)
    {
        try
        {
            var node = services.GetRequiredService<IGrainFactory>().GetGrain<IMediaNodeGrain>(previous.NodeId);
            await node.TellMediaTakenOverAsync(kind, roomId, principalId, previous.ConnectionId);
        }
#pragma warning disable CA1031 // Nobody awaits this: a node gone or refusing is logged (its connections are gone with it).
        catch (Exception ex)
#pragma warning restore CA1031
        {
            LogNotHandedOver(logger, roomId, ex.GetType().Name);
        }
    }

    private static bool IsId(string? value) => value is { Length: > 0 and <= MaxIdLength };

    [LoggerMessage(Level = LogLevel.Information, Message = "Room {RoomId}: a participant's media moved to another of their connections")]
    private static partial void LogMediaTakenOver(ILogger logger, string roomId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomId}: media take-over not delivered ({Reason})")]
    private static partial void LogNotDelivered(ILogger logger, string roomId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Room {RoomId}: media take-over not handed to the previous connection's node ({Reason})")]
    private static partial void LogNotHandedOver(ILogger logger, string roomId, string reason);
}
