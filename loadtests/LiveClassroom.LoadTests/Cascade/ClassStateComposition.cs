using System.Globalization;
using Npgsql;

namespace LiveClassroom.LoadTests.Cascade;

/// <summary>
/// What the class's stored state (<c>grain_state</c> kind <c>classroom</c>) is made of, by part: the participants'
/// identity and presence fields, their media fields (peer, publish mids, receive slots, stats), the classrooms, the
/// action keys, the chat log, the rest. Sizes are of PostgreSQL's jsonb text (a few per cent larger than the server's
/// compact JSON), so the shares are what to read.
/// </summary>
internal static class ClassStateComposition
{
    public static async Task<string> DescribeAsync(string connectionString, string classId)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""
            SELECT octet_length(s.state::text),
                   jsonb_array_length(s.state->'participants'),
                   (SELECT coalesce(sum(octet_length((p - 'peerId' - 'publish' - 'slots' - 'stats')::text)), 0) FROM jsonb_array_elements(s.state->'participants') p),
                   (SELECT coalesce(sum(octet_length((p - 'principalId' - 'displayName' - 'role' - 'kind' - 'classroomId' - 'connection' - 'disconnectedAt')::text)), 0) FROM jsonb_array_elements(s.state->'participants') p),
                   octet_length((s.state->'classrooms')::text),
                   octet_length(coalesce(s.state->'recentActions', '[]'::jsonb)::text),
                   octet_length(coalesce(s.state->'chat', '[]'::jsonb)::text)
            FROM grain_state s WHERE s.kind = 'classroom' AND s.id = @id
            """, connection);
        command.Parameters.AddWithValue("id", classId);
        await using var r = await command.ExecuteReaderAsync();
        if (!await r.ReadAsync())
        {
            return "no stored state";
        }
        var total = (double)r.GetInt32(0);
        var count = r.GetInt32(1);
        var identity = r.GetInt64(2);
        var media = r.GetInt64(3);
        var classrooms = r.GetInt32(4);
        var actions = r.GetInt32(5);
        var chat = r.GetInt32(6);
        var rest = total - identity - media - classrooms - actions - chat;
        string Part(string name, double bytes) => string.Create(CultureInfo.InvariantCulture, $"{name} {bytes / 1024:F1} KB ({100 * bytes / total:F0} %)");
        return string.Create(CultureInfo.InvariantCulture, $"{total / 1024:F1} KB as jsonb text, {count} participants: ")
            + string.Join("; ", Part("their identity and presence", identity), Part("their media fields (peer, publish, slots, stats)", media),
                Part("classrooms", classrooms), Part("action keys", actions), Part("chat log", chat), Part("the rest", rest))
            + string.Create(CultureInfo.InvariantCulture, $"; per participant {(identity + media) / Math.Max(1, count):F0} B, of which media {media / (double)Math.Max(1, count):F0} B");
    }
}
