using System.Collections.Concurrent;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu.Wrap;

/// <summary>
/// NACKs after the sequence numbers wrapped (RFC 4585 §6.2.1), answered both ways: from the SFU's retransmission cache,
/// and — for packets the SFU never received — by the publisher with RTX (RFC 4588 §4), whose own sequence wraps too.
/// </summary>
[Collection(WrapCollection.Name)]
public sealed class NackAcrossWrapTests(WrapFixture fixture) : WrapTest(fixture)
{
    private const int Packets = 140_000;
    private const int Burst = 1000;
    private const uint AudioSsrc = 0x5200_0001;
    private const uint VideoSsrc = 0x5200_0002;
    private const uint RtxSsrc = 0x5200_0003;
    private readonly ConcurrentDictionary<long, byte> _drop = new();

    [Fact]
    public void Nack_LossesAfterTheWrap_ServedFromTheCacheAndByRtx_EveryPacketArrivesOnceWithItsOwnPayload()
    {
        var room = Room;
        var publisher = Connect("pub", publish: true, AudioSsrc, VideoSsrc, RtxSsrc);
        var subscriber = Connect("sub", publish: false);
        subscriber.DropRtpArrival = arrival => _drop.TryRemove(arrival, out _);
        var log = new ArrivalLog(subscriber);
        var sender = new WrapSender(publisher, 1, AudioSsrc, VideoSsrc, RtxSsrc) { VideoSeq = 60_000 };
        var pacer = new Pacer(log, Fixture.Server.Diagnostics);
        room.Route("sub", "1", new MediaTrackSource("pub", "1"));
        var buffer = new byte[1600];
        long dropped = 0;
        var cachedOnly = new List<ushort>();

        for (var start = 0; start < Packets; start += Burst)
        {
            // Once the numbers have wrapped, every 10th burst loses three packets: two in a row 120 packets before the burst
            // ends never reach the SFU (the publisher must resend them, and they are further behind than RFC 3550 A.1's
            // MAX_MISORDER, beyond the fixture's 64-packet cache) and one 20 before the end is lost on the way to the
            // subscriber (still cached). All stay inside the subscriber's 128-packet SRTP replay window.
            var lossy = start >= 10 * Burst && start / Burst % 10 == 0;
            if (lossy)
            {
                // Positions 880 and 881 are never sent, so arrival 980 is the 979th of the burst (1-based: +978).
                _drop[log.Count + dropped + 978 + 1] = 0;
                dropped += 1;
                pacer.Expected -= 1;
            }
            pacer.Send(start, Burst, i =>
            {
                var skipped = lossy && i - start is 880 or 881;
                sender.SendVideo(i, send: !skipped);
                return skipped ? 0 : 1;
            }, Burst);
            if (!lossy)
            {
                continue;
            }
            // The slot's outgoing number for index i is the first one plus i (the tests above show it stays contiguous).
            var first = log.Snapshot()[0];
            var outBase = first.Seq - first.Index;
            ushort[] lost = [(ushort)(outBase + start + 880), (ushort)(outBase + start + 881), (ushort)(outBase + start + 980)];
            cachedOnly.Add((ushort)(60_000 + start + 980));
            var length = RtcpWriter.WriteNack(buffer, 0x5300_0001, first.Ssrc, lost);
            subscriber.SendRtcp(buffer, length);
            // The publisher is asked for exactly the two packets the cache lost, with its own numbers, and answers with RTX.
            ushort[] wanted = [(ushort)(60_000 + start + 880), (ushort)(60_000 + start + 881)];
            Assert.True(WrapFixture.WaitUntil(() => NackedSoFar(publisher).IsSupersetOf(wanted), TimeSpan.FromSeconds(20)),
                $"burst {start / Burst}: the publisher was not asked for {wanted[0]}, {wanted[1]}; {Fixture.Server.Diagnostics()}");
            foreach (var seq in wanted)
            {
                Assert.True(sender.SendRtx(seq));
            }
            pacer.Expected += 3;
            pacer.CatchUp();
        }

        var video = log.Snapshot().Where(a => a.Video).ToArray();
        Assert.Equal(Packets, video.Length);
        // The third loss of each burst was answered from the SFU's cache: the publisher was never asked for it.
        Assert.Equal(13, cachedOnly.Count);
        Assert.Empty(NackedSoFar(publisher).Intersect(cachedOnly));
        // ...and came on the subscriber's RTX stream (RFC 4588), while the publisher's repairs of what the SFU never got
        // came on the media stream, as the packets the SFU had been missing.
        Assert.Equal(13, log.RtxCount);
        // Every number exactly once, and the packet behind each number is the one originally sent under it.
        var ordered = video.OrderBy(a => a.Seq).ToArray();
        for (var i = 0; i < ordered.Length; i++)
        {
            if (ordered[i].Seq != ordered[0].Seq + i || ordered[i].Index != i)
            {
                Assert.Fail($"sorted packet {i}: sequence {ordered[i].Seq} carries index {ordered[i].Index}");
            }
        }
        Assert.True(ordered[^1].Seq - ordered[0].Seq > 65_536);
        Assert.Equal(0, subscriber.DecryptFailures);
        // The SFU's receiver reports to the publisher keep the rolled-over highest sequence (RFC 3550 §6.4.1): it reaches
        // the last packet sent and never goes back, although stale retransmissions arrived in pairs.
        var last = (uint)(60_000 + Packets - 1);
        Assert.True(WrapFixture.WaitUntil(() => ReportedHighest(publisher).Contains(last), TimeSpan.FromSeconds(20)),
            $"no receiver report reached {last}: {string.Join(", ", ReportedHighest(publisher))}");
        var reports = ReportedHighest(publisher);
        for (var i = 1; i < reports.Count; i++)
        {
            Assert.True(reports[i] >= reports[i - 1], $"reported highest sequence went back: {reports[i - 1]} → {reports[i]}");
        }
    }

    private static HashSet<ushort> NackedSoFar(SyntheticPeer publisher) => [.. Loss.ThreePeerRoom.NacksReceived(publisher, VideoSsrc)];

    private static List<uint> ReportedHighest(SyntheticPeer publisher)
    {
        var highest = new List<uint>();
        foreach (var compound in publisher.RtcpLog)
        {
            foreach (var item in new RtcpCompoundEnumerator(compound))
            {
                var p = item.Slice((ReadOnlySpan<byte>)compound);
                if (item.PacketType != RtcpPacketType.ReceiverReport || !RtcpReceiverReport.TryParse(p, out var rr))
                {
                    continue;
                }
                for (var i = 0; i < rr.ReportCount; i++)
                {
                    var block = RtcpReceiverReport.GetReportBlock(p, i);
                    if (block.Ssrc == VideoSsrc)
                    {
                        highest.Add(block.ExtendedHighestSequence);
                    }
                }
            }
        }
        return highest;
    }
}
