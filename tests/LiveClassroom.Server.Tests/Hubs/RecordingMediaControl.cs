using System.Collections.Concurrent;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Server.Media;

namespace LiveClassroom.Server.Tests.Hubs;

/// <summary>
/// Stands in for the SFU (the media plane is not under test here): records every call and, like the real
/// adapter, rejects an offer that is not SDP or lacks ICE credentials with a <see cref="FormatException"/>.
/// </summary>
public sealed class RecordingMediaControl : IMediaControl
{
    public ConcurrentQueue<string> Calls { get; } = new();

    public ConcurrentDictionary<(string Room, string Peer), bool> AudioMuted { get; } = new();

    /// <summary>What <see cref="GetStatsAsync"/> answers per room: the figures of synthetic peers a test sets.</summary>
    public ConcurrentDictionary<string, IReadOnlyList<PeerMediaStats>> Stats { get; } = new();

    public Task OpenRoomAsync(string roomId, CancellationToken ct = default) => Record($"open {roomId}");

    public Task CloseRoomAsync(string roomId, CancellationToken ct = default) => Record($"close {roomId}");

    public Task<string> NegotiateAsync(string roomId, string peerId, string sdpOffer, PublishedTracks publish, CancellationToken ct = default)
    {
        var answer = NullMediaControl.RejectingAnswer(sdpOffer);
        // Like a WebRTC SFU: no ICE credentials, no session.
        if (!sdpOffer.Contains("a=ice-ufrag:", StringComparison.Ordinal))
        {
            throw new FormatException("offer without ICE credentials");
        }
        // "a=x-refuse:{MediaRefusal}" plays the SFU refusing a well-formed offer for that reason.
        var refuse = sdpOffer.IndexOf("a=x-refuse:", StringComparison.Ordinal);
        if (refuse >= 0)
        {
            var reason = sdpOffer[(refuse + "a=x-refuse:".Length)..].Split('\r')[0];
            throw new MediaRefusedException(Enum.Parse<MediaRefusal>(reason), "refused by the test media plane");
        }
        Calls.Enqueue($"negotiate {roomId} {peerId}");
        return Task.FromResult(answer);
    }

    public Task RemovePeerAsync(string roomId, string peerId, CancellationToken ct = default) => Record($"remove {roomId} {peerId}");

    public Task RouteAsync(string roomId, string subscriberPeerId, string slotMid, MediaSource? source, CancellationToken ct = default) =>
        Record($"route {roomId} {subscriberPeerId} {slotMid} <- {source?.PublisherPeerId}/{source?.PublisherMid}");

    public Task SetPublisherAudioMutedAsync(string roomId, string publisherPeerId, bool muted, CancellationToken ct = default)
    {
        AudioMuted[(roomId, publisherPeerId)] = muted;
        return Record($"mute {roomId} {publisherPeerId} {muted}");
    }

    public Task<IReadOnlyList<PeerMediaStats>> GetStatsAsync(string roomId, CancellationToken ct = default) =>
        Task.FromResult(Stats.TryGetValue(roomId, out var stats) ? stats : (IReadOnlyList<PeerMediaStats>)[]);

    private Task Record(string call)
    {
        Calls.Enqueue(call);
        return Task.CompletedTask;
    }
}
