using System.Net;
using LiveClassroom.Media.Sdp;

namespace LiveClassroom.Media.Tests.Sfu;

/// <summary>
/// A participant's page coming back (reload, new tab) under the same peer id: a new DTLS fingerprint with new ICE
/// credentials replaces the old peer; a new fingerprint on the same ICE credentials is still refused (RFC 9429 §5.11).
/// Through the façade on a real MediaServer (loopback; no browser: the Chromium tests live in Media.EndToEnd.Tests).
/// </summary>
public sealed class PeerReplacementTests : IDisposable
{
    private static readonly string ChromeOffer = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "TestVectors", "chrome156-offer-simulcast.sdp"));
    private const string ChromeFingerprint = "04:37:F7:A9:D5:D9:D5:F2:87:C7:1C:31:C8:CF:CA:6B:95:87:8E:EF:E6:68:87:09:DF:0C:60:16:75:8B:F2:5D";
    private const string OtherFingerprint = "11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00";
    private readonly MediaServer _server = new(new MediaServerOptions { BindAddress = IPAddress.Loopback, AdvertisedAddresses = [IPAddress.Loopback] });

    // Audio mid 0 and video mid 1 are sent; audio mid 2 and video mid 3 are receive slots.
    private static string Offer(string ufrag, string fingerprint = ChromeFingerprint) =>
        ChromeOffer.Replace("a=ice-ufrag:Prm0", "a=ice-ufrag:" + ufrag, StringComparison.Ordinal)
            .Replace(ChromeFingerprint, fingerprint, StringComparison.Ordinal);

    [Fact]
    public void Negotiate_NewFingerprintWithNewUfrag_ReplacesThePeerWithoutPeerGone()
    {
        var room = _server.CreateRoom("r");
        var gone = new List<string>();
        var removed = new ManualResetEventSlim();
        _server.PeerGone += (_, e) =>
        {
            lock (gone)
            {
                gone.Add($"{e.PeerId}: {e.Reason}");
            }
            removed.Set();
        };
        var first = SdpParser.Parse(room.Negotiate("p", Offer("aaaa")));

        var second = SdpParser.Parse(room.Negotiate("p", Offer("bbbb", OtherFingerprint)));
        // Events are delivered in order: the removal's PeerGone is the first one only if the replacement raised none.
        room.RemovePeer("p");

        Assert.NotEqual(first.IceUfragOf(first.Media[0]), second.IceUfragOf(second.Media[0]));
        Assert.True(removed.Wait(TimeSpan.FromSeconds(10)));
        lock (gone)
        {
            Assert.Equal(["p: removed"], gone);
        }
    }

    [Fact]
    public void Negotiate_IceRestartOfAConnectionWhoseConsentExpired_RefusedAsAssociationExpired_NewConnectionAccepted()
    {
        using var server = new MediaServer(new MediaServerOptions
        {
            BindAddress = IPAddress.Loopback, AdvertisedAddresses = [IPAddress.Loopback], ConsentTimeout = TimeSpan.FromSeconds(1),
        });
        var room = server.CreateRoom("r");
        var expired = new ManualResetEventSlim();
        server.PeerGone += (_, e) =>
        {
            if (e.PeerId == "p" && e.Reason?.Contains("consent", StringComparison.Ordinal) == true)
            {
                expired.Set();
            }
        };
        room.Negotiate("p", Offer("aaaa"));
        // No check ever comes (the browser's link is down): consent expires and the SFU drops the peer with its DTLS keys.
        Assert.True(expired.Wait(TimeSpan.FromSeconds(30)), "consent did not expire");

        // The browser's ICE restart of that same connection (same certificate, new ufrag) once signalling is back.
        var refused = Assert.Throws<SdpFormatException>(() => room.Negotiate("p", Offer("bbbb")));
        Assert.Equal(SdpRefusal.AssociationExpired, refused.Reason);

        // A new connection (a new certificate) is accepted, and so is its own ICE restart.
        room.Negotiate("p", Offer("cccc", OtherFingerprint));
        room.Negotiate("p", Offer("dddd", OtherFingerprint));
    }

    [Fact]
    public void Negotiate_NewFingerprintOnTheSameUfrag_RefusedAsFingerprintChanged()
    {
        var room = _server.CreateRoom("r");
        room.Negotiate("p", Offer("aaaa"));

        var refused = Assert.Throws<SdpFormatException>(() => room.Negotiate("p", Offer("aaaa", OtherFingerprint)));

        Assert.Equal(SdpRefusal.FingerprintChanged, refused.Reason);
        Assert.Contains("fingerprint", refused.Message, StringComparison.Ordinal);
        // The peer is untouched: a renegotiation with its own fingerprint still works.
        room.Negotiate("p", Offer("aaaa"));
        Assert.Equal(["p"], room.PeerIds);
    }

    [Fact]
    public void Negotiate_PublisherReplaced_SubscribersAndTapsFollowTheNewTracks()
    {
        var room = _server.CreateRoom("r");
        room.Negotiate("teacher", Offer("tttt"));
        room.Negotiate("student", Offer("ssss"));
        room.Route("student", "3", new MediaTrackSource("teacher", "1"));
        room.Route("student", "2", new MediaTrackSource("teacher", "0"));
        using var tap = room.Tap("teacher", "0", (_, _) => { });

        room.Negotiate("teacher", Offer("tttt2", OtherFingerprint));

        Assert.Equal(["student/3"], room.Engine.ListenersOf("teacher", "1"));
        Assert.Equal(["student/2"], room.Engine.ListenersOf("teacher", "0"));
        Assert.Equal(1, room.Engine.TapCount("teacher", "0"));
        tap.Dispose();
        Assert.Equal(0, room.Engine.TapCount("teacher", "0"));
    }

    [Fact]
    public void Negotiate_SubscriberReplaced_ItsNewSlotsCarryTheSameSources()
    {
        var room = _server.CreateRoom("r");
        room.Negotiate("teacher", Offer("tttt"));
        room.Negotiate("projector", Offer("pppp"));
        room.Route("projector", "3", new MediaTrackSource("teacher", "1"));

        room.Negotiate("projector", Offer("pppp2", OtherFingerprint));

        Assert.Equal(["projector/3"], room.Engine.ListenersOf("teacher", "1"));
        // What the grains route next goes to the new peer's slots (the old "no receive slot" failure).
        room.Route("projector", "2", new MediaTrackSource("teacher", "0"));
        Assert.Equal(["projector/2"], room.Engine.ListenersOf("teacher", "0"));
    }

    [Fact]
    public void Negotiate_ReplacementWithoutAnOldMid_UnpublishesOnlyThatTrack()
    {
        var room = _server.CreateRoom("r");
        var unpublished = new List<string>();
        var done = new ManualResetEventSlim();
        _server.TrackUnpublished += (_, e) =>
        {
            lock (unpublished)
            {
                unpublished.Add($"{e.PeerId}/{e.Mid}");
            }
            done.Set();
        };
        room.Negotiate("teacher", Offer("tttt"));
        var lines = Offer("tttt2", OtherFingerprint).Split("\r\n");
        var videoLine = Array.FindIndex(lines, l => l.StartsWith("m=video 9", StringComparison.Ordinal));
        lines[videoLine] = lines[videoLine].Replace("m=video 9", "m=video 0", StringComparison.Ordinal);

        room.Negotiate("teacher", string.Join("\r\n", lines));

        Assert.True(done.Wait(TimeSpan.FromSeconds(10)));
        lock (unpublished)
        {
            Assert.Equal(["teacher/1"], unpublished);
        }
        Assert.Equal(["teacher"], room.PeerIds);
    }

    public void Dispose() => _server.Dispose();
}
