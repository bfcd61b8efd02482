using System.Net;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Rtcp;
using LiveClassroom.Media.Rtp;
using LiveClassroom.Media.Tests.Sfu.Loss;

namespace LiveClassroom.Media.Tests.Relay;

/// <summary>What the relay tests share: loopback servers, a publisher's marked video, and reading what came back.</summary>
internal static class RelayTestKit
{
    public static MediaServer NewServer() => new(new MediaServerOptions
    {
        BindAddress = IPAddress.Loopback,
        AdvertisedAddresses = [IPAddress.Loopback],
        VideoCodec = VideoCodecPreference.Vp8,
    });

    /// <summary>Sends <paramref name="count"/> video packets whose payload byte 5 numbers them 0…count−1.</summary>
    public static void SendVideo(SyntheticPeer publisher, byte[] buffer, ushort firstSeq, int count, uint ssrc)
    {
        for (var i = 0; i < count; i++)
        {
            publisher.SendRtp(buffer, ThreePeerRoom.WriteVideo(buffer, firstSeq, i, ssrc));
        }
    }

    /// <summary>The packet numbers (payload byte 5) a subscriber decrypted.</summary>
    public static HashSet<int> Payloads(SyntheticPeer subscriber) => subscriber.RtpLog.Select(p =>
    {
        Assert.Equal(RtpParseError.None, RtpHeader.TryParse(p, out var h));
        return (int)p[h.PayloadOffset + 5];
    }).ToHashSet();

    /// <summary>
    /// The subscriber asks for a keyframe of its first stream until a PLI for <paramref name="videoSsrc"/> reaches the
    /// publisher: each hop coalesces requests closer together than Chrome's 300 ms floor, so one may not pass.
    /// </summary>
    public static bool AskKeyframeUntilThePublisherHasIt(SyntheticPeer subscriber, SyntheticPeer publisher, byte[] buffer, uint senderSsrc, uint videoSsrc)
    {
        Assert.True(RtpHeader.TryParse(subscriber.RtpLog.First(), out var slot) == RtpParseError.None);
        var before = publisher.RtcpLog.Count(c => IsPli(c, videoSsrc));
        return ThreePeerRoom.WaitUntil(() =>
        {
            var length = RtcpWriter.WritePli(buffer, senderSsrc, slot.Ssrc);
            subscriber.SendRtcp(buffer, length);
            return publisher.RtcpLog.Count(c => IsPli(c, videoSsrc)) > before;
        }, 10);
    }

    public static bool IsPli(byte[] compound, uint mediaSsrc) => Has(compound, fb => fb.IsPli && fb.MediaSsrc == mediaSsrc);

    public static bool IsNack(byte[] compound) => Has(compound, fb => fb.IsNack);

    private static bool Has(byte[] compound, Func<RtcpFeedbackHeader, bool> match)
    {
        foreach (var item in new RtcpCompoundEnumerator(compound))
        {
            if (RtcpFeedbackHeader.TryParse(item.Slice((ReadOnlySpan<byte>)compound), out var fb) && match(fb))
            {
                return true;
            }
        }
        return false;
    }
}
