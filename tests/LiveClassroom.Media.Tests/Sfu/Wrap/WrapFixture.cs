using System.Diagnostics;
using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Dtls;

namespace LiveClassroom.Media.Tests.Sfu.Wrap;

/// <summary>One real MediaServer on loopback shared by the sequence-wrap tests; each test makes its own room and peers.</summary>
public sealed class WrapFixture : IDisposable
{
    private int _rooms;

    public WrapFixture()
    {
        Server = new MediaServer(new MediaServerOptions
        {
            BindAddress = IPAddress.Loopback,
            AdvertisedAddresses = [IPAddress.Loopback],
            VideoCodec = VideoCodecPreference.Vp8,
            // The synthetic peers check consent once; the tests outlive the 30 s default on a loaded machine.
            ConsentTimeout = TimeSpan.FromMinutes(10),
            // Small, so a NACK for a packet 120 behind must go to the publisher while it still fits the subscriber's
            // 128-packet SRTP replay window.
            RetransmissionCacheSize = 64,
        });
    }

    public MediaServer Server { get; }

    internal DtlsCertificate Certificate { get; } = DtlsCertificate.Generate("wrap-test");

    public MediaRoom NewRoom() => Server.CreateRoom("wrap-" + Interlocked.Increment(ref _rooms));

    /// <summary>A connected synthetic peer: a publisher of audio + video (with RTX) or a subscriber with one audio and one video slot.</summary>
    internal SyntheticPeer Connect(MediaRoom room, string peerId, bool publish, uint audioSsrc = 0, uint videoSsrc = 0, uint rtxSsrc = 0)
    {
        var peer = new SyntheticPeer(Certificate, Server.LocalEndPoint, 16) { KeepPackets = publish };
        peer.Connect(room.Negotiate(peerId, peer.Offer(publish, audioSsrc, videoSsrc, rtxSsrc)), SrtpProtectionProfileId.AeadAes128Gcm);
        Assert.True(WaitUntil(() => room.GetStats().Any(s => s.PeerId == peerId && s.State == "connected"), TimeSpan.FromSeconds(20)),
            $"{peerId} did not connect; {Server.Diagnostics()}");
        return peer;
    }

    internal static bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            if (condition())
            {
                return true;
            }
            Thread.Sleep(1);
        }
        return condition();
    }

    public void Dispose() => Server.Dispose();
}
