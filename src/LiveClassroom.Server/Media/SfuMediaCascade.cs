using System.Net;
using LiveClassroom.Grains.Ports;
using LiveClassroom.Media;
using Orleans.Runtime;

namespace LiveClassroom.Server.Media;

/// <summary>
/// <see cref="IMediaCascade"/> over this node's SFU and relay socket. Settings: <c>Media:RelayPort</c> (turns the relay on),
/// <c>Media:RelayAddress</c> (how other nodes reach it; default the first advertised media address, else 127.0.0.1),
/// <c>Media:NodeCapacitySubscribers</c> (0: unlimited).
/// </summary>
public sealed class SfuMediaCascade(MediaServer server, MediaRelay relay, IServiceProvider services, string relayAddress, int capacity) : IMediaCascade
{
    private string? _nodeId;

    public string NodeId => _nodeId ??= services.GetRequiredService<ILocalSiloDetails>().SiloAddress.ToParsableString();

    public int CapacitySubscribers => capacity;

    public string RelayEndPoint => $"{relayAddress}:{relay.LocalEndPoint.Port}";

    public int Subscribers => server.BrowserPeerCount;

    public void Feed(string roomId, uint linkId, byte[] key, string edgeRelayEndPoint, IReadOnlyCollection<string> publisherPeerIds) =>
        relay.Feed(roomId, linkId, key, IPEndPoint.Parse(edgeRelayEndPoint), publisherPeerIds);

    public void Receive(string roomId, uint linkId, byte[] key, string originRelayEndPoint) =>
        relay.Receive(roomId, linkId, key, IPEndPoint.Parse(originRelayEndPoint));

    public bool HasPeers(string roomId, IReadOnlyCollection<string> peerIds)
    {
        ArgumentNullException.ThrowIfNull(peerIds);
        var present = server.GetRoom(roomId)?.PeerIds;
        return present is not null && peerIds.All(present.Contains);
    }

    public TimeSpan? Silence(uint linkId) => relay.Silence(linkId);

    public void Close(uint linkId) => relay.Close(linkId);

    /// <summary>Registers the relay and the port when <c>Media:RelayPort</c> is set (SFU mode only).</summary>
    public static void Register(IServiceCollection services, IConfiguration config)
    {
        var raw = config["Media:RelayPort"];
        if (string.IsNullOrWhiteSpace(raw))
        {
            return;
        }
        if (!int.TryParse(raw, out var port) || port is < 0 or > 65535)
        {
            throw new Hosting.StartupException($"Media:RelayPort must be 0–65535, not '{raw}'");
        }
        var capacity = config.GetValue("Media:NodeCapacitySubscribers", 0);
        if (capacity < 0)
        {
            throw new Hosting.StartupException($"Media:NodeCapacitySubscribers must be 0 (unlimited) or more, not {capacity}");
        }
        var address = config["Media:RelayAddress"];
        if (address is not null && !IPAddress.TryParse(address, out _))
        {
            throw new Hosting.StartupException($"Media:RelayAddress must be an IP address, not '{address}'");
        }
        services.AddSingleton(sp =>
        {
            var media = sp.GetRequiredService<MediaServer>();
            return new MediaRelay(media, new MediaRelayOptions { Port = port, BindAddress = media.Options.BindAddress });
        });
        services.AddSingleton<IMediaCascade>(sp =>
        {
            var media = sp.GetRequiredService<MediaServer>();
            var advertised = address ?? (media.Options.AdvertisedAddresses.Count > 0 ? media.Options.AdvertisedAddresses[0].ToString() : "127.0.0.1");
            return new SfuMediaCascade(media, sp.GetRequiredService<MediaRelay>(), sp, advertised, capacity);
        });
    }
}
