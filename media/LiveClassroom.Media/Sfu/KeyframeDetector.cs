// RFC 7741 §4.3 (VP8: P bit 0 on the first partition = key frame) and RFC 6184 §5.6–5.8 (H.264 NAL units):
// a "keyframe start" is the first packet of a frame a decoder can start from.
using LiveClassroom.Media.Rtp.Codecs;

namespace LiveClassroom.Media.Sfu;

internal static class KeyframeDetector
{
    public static bool IsKeyframeStart(string codec, ReadOnlySpan<byte> payload) => codec switch
    {
        "VP8" => Vp8Payload.TryParse(payload, out var d) && d.IsKeyframe && d.IsStartOfFrame,
        // Chrome sends SPS and PPS ahead of every IDR; switching on the SPS gives the decoder everything it needs.
        "H264" => H264Payload.TryParse(payload, out var info) && info.ContainsSps,
        _ => true,
    };
}
