using System.Globalization;
using LiveClassroom.Media.Srtp;

namespace LiveClassroom.LoadTests;

/// <summary>
/// One subscriber's integrity counters at a moment: SRTP/SRTCP refusals by reason (RFC 3711 §3.3: authentication, replay,
/// too old for the window) and video arrivals out of order. Two snapshots give a window's figures: which subscribers
/// failed (by join order: a set that joined together points at the benchmark's past, a spread at the SFU) and why.
/// </summary>
internal readonly record struct Integrity(long Failures, long Authentication, long Replayed, long TooOld, long Reordered)
{
    public static Integrity Of(SyntheticPeer peer) => peer.Receive is { } receive
        ? new Integrity(peer.DecryptFailures, receive.FailureCount(SrtpStatus.AuthenticationFailed), receive.FailureCount(SrtpStatus.Replayed),
            receive.FailureCount(SrtpStatus.TooOld), peer.VideoReordered)
        : new Integrity(peer.DecryptFailures, 0, 0, 0, peer.VideoReordered);

    public static string Describe(IReadOnlyList<SyntheticPeer> peers, Integrity[] before)
    {
        long failures = 0, authentication = 0, replayed = 0, tooOld = 0, reordered = 0;
        var failing = new List<int>();
        var reorderedPeers = 0;
        for (var i = 0; i < peers.Count; i++)
        {
            var was = i < before.Length ? before[i] : default;
            var now = Of(peers[i]);
            failures += now.Failures - was.Failures;
            authentication += now.Authentication - was.Authentication;
            replayed += now.Replayed - was.Replayed;
            tooOld += now.TooOld - was.TooOld;
            reordered += now.Reordered - was.Reordered;
            if (now.Failures > was.Failures)
            {
                failing.Add(i);
            }
            if (now.Reordered > was.Reordered)
            {
                reorderedPeers++;
            }
        }
        var who = failing.Count == 0 ? "" : $" at {failing.Count} subscribers (join order {failing[0]}–{failing[^1]})";
        return string.Create(CultureInfo.InvariantCulture,
            $"decrypt failures {failures}{who}: authentication {authentication}, replayed {replayed}, too old {tooOld}; video packets out of order {reordered} at {reorderedPeers} subscribers");
    }
}
