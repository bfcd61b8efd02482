using LiveClassroom.Grains;
using LiveClassroom.Grains.Hosting;
using Npgsql;

namespace LiveClassroom.Server.Hubs;

/// <summary>Finds the node that holds a room's lease now, so a hub can tell its clients where the room went.</summary>
public sealed partial class RoomOwnerLookup(NpgsqlDataSource dataSource, GrainHostOptions node, ILogger<RoomOwnerLookup> logger)
{
    /// <summary>The URL of the node that holds the room's lease now, if another node does.</summary>
    public async Task<string?> NewOwnerUrlAsync(GrainKey room)
    {
        try
        {
            await using var cmd = dataSource.CreateCommand(
                "SELECT owner_url FROM room_leases WHERE kind = @kind AND id = @id AND owner_node <> @node AND expires_at > now()");
            cmd.Parameters.AddWithValue("kind", room.Kind);
            cmd.Parameters.AddWithValue("id", room.Id);
            cmd.Parameters.AddWithValue("node", node.NodeId);
            return await cmd.ExecuteScalarAsync() as string;
        }
        catch (NpgsqlException ex)
        {
            // Without the database the owner is unknown; clients reconnect anywhere and are redirected from there.
            LogOwnerUnknown(logger, room.Kind, room.Id, ex);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Could not look up the new owner of {Kind} {RoomId}")]
    private static partial void LogOwnerUnknown(ILogger logger, string kind, string roomId, Exception ex);
}
