using LiveClassroom.Media.Rtp;

namespace LiveClassroom.LoadTests;

/// <summary>
/// One packet of a synthetic simulcast publisher's VP8 video, as Chrome sends it: the mid (extension id 4) and the
/// layer's rid q/h/f (RFC 8852, extension id 10) in a one-byte header extension, payload type 96.
/// </summary>
internal static class SimulcastVideo
{
    /// <summary>Writes the packet into <paramref name="buffer"/>; <paramref name="size"/> bytes in all, the payload zeroed past its VP8 header.</summary>
    public static int Write(byte[] buffer, int layer, ushort seq, uint timestamp, uint ssrc, bool first, bool last, bool keyframe, int size) =>
        Write(buffer, layer, seq, timestamp, ssrc, first, last, keyframe, size, out _);

    /// <inheritdoc cref="Write(byte[], int, ushort, uint, uint, bool, bool, bool, int)"/>
    public static int Write(byte[] buffer, int layer, ushort seq, uint timestamp, uint ssrc, bool first, bool last, bool keyframe, int size,
        out int payloadOffset)
    {
        Span<byte> extension = stackalloc byte[16];
        var writer = new RtpExtensionWriter(extension, twoByte: false);
        writer.Add(4, "1"u8);
        writer.Add(10, layer == 0 ? "q"u8 : layer == 1 ? "h"u8 : "f"u8);
        var extensionLength = writer.Finish();
        var header = RtpHeaderWriter.Write(buffer, 96, last, seq, timestamp, ssrc, [], writer.Profile, extension[..extensionLength]);
        payloadOffset = header;
        var payload = buffer.AsSpan(header, size - header);
        payload.Clear();
        payload[0] = (byte)(first ? 0x10 : 0x00); // RFC 7741 §4.2: S=1 on the frame's first packet, PID 0
        payload[1] = (byte)(keyframe ? 0x00 : 0x01); // VP8 payload header: P=0 for a key frame
        return size;
    }
}
