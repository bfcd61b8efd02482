using System.Net;
using Microsoft.Playwright;

namespace LiveClassroom.Media.EndToEnd.Tests.Harness;

/// <summary>
/// One SFU (MediaServer on an ephemeral UDP port advertising 127.0.0.1) plus the signaling host the pages talk to.
/// Façade events are relayed to every page of the room as text lines ("unpublished peer mid", "gone peer").
/// </summary>
public sealed class SfuSession : IAsyncDisposable
{
    private SfuSession(MediaServer server, SignalingHost host)
    {
        Server = server;
        Host = host;
    }

    public MediaServer Server { get; }

    /// <summary>Peers whose offer gets a wrong a=fingerprint on its way to the SFU (an attacker's certificate, say).</summary>
    public HashSet<string> TamperedPeers { get; } = [];

    public SignalingHost Host { get; }

    public static async Task<SfuSession> StartAsync(SrtpProfilePreference srtp, VideoCodecPreference codec, bool autoRoute = true, TimeSpan? consentTimeout = null, bool iceTcpOnly = false)
    {
        var server = new MediaServer(new MediaServerOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddresses = [IPAddress.Loopback],
            SrtpProfile = srtp,
            VideoCodec = codec,
            ConsentTimeout = consentTimeout ?? TimeSpan.FromSeconds(30),
            TcpPort = iceTcpOnly ? 0 : null,
            AdvertiseUdp = !iceTcpOnly,
        });
        var host = await SignalingHost.StartAsync();
        SfuSession? session = null;
        host.Negotiate = (roomId, peerId, offer) =>
        {
            if (session!.TamperedPeers.Contains(peerId))
            {
                var at = offer.IndexOf("a=fingerprint:sha-256 ", StringComparison.Ordinal) + "a=fingerprint:sha-256 ".Length;
                offer = string.Concat(offer.AsSpan(0, at), offer[at] == 'A' ? "B" : "A", offer.AsSpan(at + 1));
            }
            var room = server.GetRoom(roomId) ?? server.CreateRoom(roomId);
            room.AutoRoute = autoRoute;
            return room.Negotiate(peerId, offer);
        };
        host.Leave = (roomId, peerId) => server.GetRoom(roomId)?.RemovePeer(peerId);
        server.TrackUnpublished += (_, e) => Broadcast(server, host, e.RoomId, $"unpublished {e.PeerId} {e.Mid}");
        server.PeerGone += (_, e) => Broadcast(server, host, e.RoomId, $"gone {e.PeerId}");
        session = new SfuSession(server, host);
        return session;
    }

    private static void Broadcast(MediaServer server, SignalingHost host, string roomId, string text)
    {
        var room = server.GetRoom(roomId);
        if (room is null)
        {
            return;
        }
        foreach (var peer in room.PeerIds)
        {
            host.Post(roomId, peer, text);
        }
    }

    public MediaRoom Room(string id) => Server.GetRoom(id) ?? Server.CreateRoom(id);

    public async Task<(IPage Page, string[] Mids)> PublishAsync(ChromiumBrowser browser, string room, string peer, bool simulcast = false)
    {
        var page = await browser.OpenAsync(Host.BaseUrl + "/");
        var mids = await page.EvaluateAsync<string[]>("([r, p, s]) => lc.publish(r, p, s)", new object[] { room, peer, simulcast });
        return (page, mids);
    }

    public async Task<(IPage Page, string[] Mids)> SubscribeAsync(ChromiumBrowser browser, string room, string peer, int videoSlots = 1)
    {
        var page = await browser.OpenAsync(Host.BaseUrl + "/");
        var mids = await page.EvaluateAsync<string[]>("([r, p, v]) => lc.subscribe(r, p, v)", new object[] { room, peer, videoSlots });
        return (page, mids);
    }

    public async ValueTask DisposeAsync()
    {
        await Host.DisposeAsync();
        Server.Dispose();
    }
}
