using System.Collections.Concurrent;
using System.Text;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Server.Media;

/// <summary>
/// A media plane that forwards nothing (<c>Media:Mode=Null</c>): rooms, signaling and classroom control run
/// without the SFU. It still parses offers the way the real adapter will — an offer that is not SDP fails
/// with <see cref="FormatException"/> — and answers with every media section rejected (port 0).
/// </summary>
public sealed class NullMediaControl : IMediaControl
{
    private readonly ConcurrentDictionary<string, byte> _rooms = new();

    public Task OpenRoomAsync(string roomId, CancellationToken ct = default)
    {
        _rooms[roomId] = 0;
        return Task.CompletedTask;
    }

    public Task CloseRoomAsync(string roomId, CancellationToken ct = default)
    {
        _rooms.TryRemove(roomId, out _);
        return Task.CompletedTask;
    }

    public Task<string> NegotiateAsync(string roomId, string peerId, string sdpOffer, PublishedTracks publish, CancellationToken ct = default) =>
        Task.FromResult(RejectingAnswer(sdpOffer));

    public Task RemovePeerAsync(string roomId, string peerId, CancellationToken ct = default) => Task.CompletedTask;

    public Task RouteAsync(string roomId, string subscriberPeerId, string slotMid, MediaSource? source, CancellationToken ct = default) =>
        Task.CompletedTask;

    public Task SetPublisherAudioMutedAsync(string roomId, string publisherPeerId, bool muted, CancellationToken ct = default) =>
        Task.CompletedTask;

    public Task<IReadOnlyList<PeerMediaStats>> GetStatsAsync(string roomId, CancellationToken ct = default) =>
        Task.FromResult<IReadOnlyList<PeerMediaStats>>([]);

    /// <summary>An answer rejecting each m-section of <paramref name="offer"/>; throws <see cref="FormatException"/> for non-SDP.</summary>
    public static string RejectingAnswer(string offer)
    {
        ArgumentNullException.ThrowIfNull(offer);
        if (!SdpSyntax.IsWellFormed(offer))
        {
            throw new FormatException("not an SDP offer");
        }
        var lines = offer.Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var answer = new StringBuilder("v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n");
        var sections = 0;
        foreach (var line in lines)
        {
            if (line.StartsWith("m=", StringComparison.Ordinal))
            {
                var parts = line[2..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                parts[1] = "0";
                answer.Append("m=").AppendJoin(' ', parts).Append("\r\n");
                sections++;
            }
            else if (sections > 0 && line.StartsWith("a=mid:", StringComparison.Ordinal))
            {
                answer.Append(line).Append("\r\n");
            }
        }
        return answer.ToString();
    }
}
