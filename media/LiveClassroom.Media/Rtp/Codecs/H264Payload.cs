using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtp.Codecs;

// RFC 6184 §5.6 (single NAL unit, types 1–23), §5.7.1 (STAP-A, type 24: 16-bit size + NAL, repeated),
// §5.8 (FU-A, type 28: FU indicator, FU header S|E|R|type). NAL types: 5 IDR slice, 7 SPS, 8 PPS.
internal static class H264Payload
{
    public const int NalIdr = 5;
    public const int NalSps = 7;
    public const int NalPps = 8;
    public const int StapA = 24;
    public const int FuA = 28;

    public static bool TryParse(ReadOnlySpan<byte> payload, out H264PayloadInfo info)
    {
        info = default;
        if (payload.IsEmpty || (payload[0] & 0x80) != 0)
        {
            return false; // F bit set: forbidden_zero_bit violated
        }
        var type = payload[0] & 0x1F;
        switch (type)
        {
            case >= 1 and <= 23:
                info = new H264PayloadInfo(type, type == NalIdr, type == NalSps, type == NalPps, false, false);
                return true;
            case StapA:
                {
                    bool idr = false, sps = false, pps = false;
                    var pos = 1;
                    var any = false;
                    while (pos < payload.Length)
                    {
                        if (payload.Length - pos < 2)
                        {
                            return false;
                        }
                        int size = BinaryPrimitives.ReadUInt16BigEndian(payload[pos..]);
                        pos += 2;
                        if (size == 0 || size > payload.Length - pos)
                        {
                            return false;
                        }
                        var nal = payload[pos] & 0x1F;
                        idr |= nal == NalIdr;
                        sps |= nal == NalSps;
                        pps |= nal == NalPps;
                        any = true;
                        pos += size;
                    }
                    if (!any)
                    {
                        return false;
                    }
                    info = new H264PayloadInfo(type, idr, sps, pps, false, false);
                    return true;
                }
            case FuA:
                {
                    if (payload.Length < 2)
                    {
                        return false;
                    }
                    var fu = payload[1];
                    var start = (fu & 0x80) != 0;
                    var end = (fu & 0x40) != 0;
                    var nal = fu & 0x1F;
                    // Only the first fragment starts a decodable unit.
                    info = new H264PayloadInfo(type, start && nal == NalIdr, start && nal == NalSps, start && nal == NalPps, start, end);
                    return true;
                }
            default:
                // STAP-B, MTAP, FU-B are not used by WebRTC (packetization-mode 0/1): reported, never a key frame.
                info = new H264PayloadInfo(type, false, false, false, false, false);
                return type != 0;
        }
    }
}
