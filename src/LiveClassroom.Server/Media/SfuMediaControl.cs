using System.Diagnostics;
using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Media;
using LiveClassroom.Media.Sdp;
using LiveClassroom.Server.Operations;

namespace LiveClassroom.Server.Media;

/// <summary>
/// <see cref="IMediaControl"/> over this node's SFU. The façade is synchronous and thread-safe; the grains call it
/// from their single-threaded turns, so nothing here blocks on I/O.
/// </summary>
public sealed class SfuMediaControl(MediaServer server) : IMediaControl
{
    public Task OpenRoomAsync(string roomId, CancellationToken ct = default)
    {
        server.CreateRoom(roomId);
        return Task.CompletedTask;
    }

    public Task CloseRoomAsync(string roomId, CancellationToken ct = default)
    {
        server.CloseRoom(roomId);
        return Task.CompletedTask;
    }

    public Task<string> NegotiateAsync(string roomId, string peerId, string sdpOffer, PublishedTracks publish, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(publish);
        using var span = ServerTracing.StartMediaNegotiation(roomId, peerId);
        try
        {
            // A room moved here from a dead node has no SFU room yet: the first offer creates it.
            var room = server.GetRoom(roomId) ?? server.CreateRoom(roomId);
            return Task.FromResult(room.Negotiate(peerId, sdpOffer, PublishOptions(publish)));
        }
        catch (MediaNegotiationException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Reason.ToString());
            throw new MediaOfferRefusedException(ex.Reason, ex.Message);
        }
        catch (SdpFormatException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, ex.Reason.ToString());
            // The hubs give each reason its own error code, for that caller only.
            var reason = ex.Reason switch
            {
                SdpRefusal.Unsupported => MediaRefusal.Unsupported,
                SdpRefusal.FingerprintChanged => MediaRefusal.FingerprintChanged,
                // The page starts over on a new peer connection for any refusal it may retry (MediaSession.negotiate).
                SdpRefusal.AssociationExpired => MediaRefusal.Unavailable,
                _ => MediaRefusal.Malformed,
            };
            throw new MediaRefusedException(reason, ex.Message, ex);
        }
        catch (ObjectDisposedException ex)
        {
            span?.SetStatus(ActivityStatusCode.Error, "room closed");
            // The SFU room closed under the offer (the class just ended or moved).
            throw new MediaRefusedException(MediaRefusal.Unavailable, "the media room is closed", ex);
        }
    }

    /// <summary>The mids the room's rules let this participant publish: camera and screen as video, microphone as audio.</summary>
    public static MediaNegotiationOptions PublishOptions(PublishedTracks publish)
    {
        ArgumentNullException.ThrowIfNull(publish);
        var mids = new Dictionary<string, string>(StringComparer.Ordinal);
        if (publish.CameraMid is { } camera)
        {
            mids[camera] = "video";
        }
        if (publish.ScreenMid is { } screen)
        {
            mids[screen] = "video";
        }
        if (publish.MicrophoneMid is { } microphone)
        {
            mids[microphone] = "audio";
        }
        return new MediaNegotiationOptions { PublishMids = mids };
    }

    public Task RemovePeerAsync(string roomId, string peerId, CancellationToken ct = default)
    {
        server.GetRoom(roomId)?.RemovePeer(peerId);
        return Task.CompletedTask;
    }

    public Task RouteAsync(string roomId, string subscriberPeerId, string slotMid, MediaSource? source, CancellationToken ct = default)
    {
        var room = server.GetRoom(roomId) ?? throw new KeyNotFoundException($"no media room {roomId}");
        room.Route(subscriberPeerId, slotMid, source is null ? null : new MediaTrackSource(source.PublisherPeerId, source.PublisherMid, source.Rid));
        return Task.CompletedTask;
    }

    public Task SetPublisherAudioMutedAsync(string roomId, string publisherPeerId, bool muted, CancellationToken ct = default)
    {
        server.GetRoom(roomId)?.SetPublisherAudioMuted(publisherPeerId, muted);
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PeerMediaStats>> GetStatsAsync(string roomId, CancellationToken ct = default)
    {
        if (server.GetRoom(roomId) is not { } room)
        {
            return Task.FromResult<IReadOnlyList<PeerMediaStats>>([]);
        }
        var stats = room.GetStats();
        var result = new PeerMediaStats[stats.Count];
        for (var i = 0; i < stats.Count; i++)
        {
            var s = stats[i];
            result[i] = new PeerMediaStats(s.PeerId, s.State, s.InboundBitrateBps, s.OutboundBitrateBps, s.InboundLossFraction, s.RoundTripTimeMs, s.ReceivedLayer,
                s.OutboundLossFraction, s.IncomingStreams, s.JitterMs, s.EstimatedBitrateBps, s.VideoPaused);
        }
        return Task.FromResult<IReadOnlyList<PeerMediaStats>>(result);
    }
}
