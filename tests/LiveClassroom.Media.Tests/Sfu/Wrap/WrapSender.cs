using System.Buffers.Binary;
using LiveClassroom.LoadTests;
using LiveClassroom.Media.Rtp;

namespace LiveClassroom.Media.Tests.Sfu.Wrap;

/// <summary>
/// The media of one synthetic publisher, numbered as the test says. Video packets are one-packet VP8 frames (RFC 7741
/// §4.2 descriptor with a 15-bit PictureID) carrying the packet's index and a source tag; audio packets carry the same.
/// Packets are rebuilt from their index, so an RTX answer (RFC 4588 §4) can repeat any of them.
/// </summary>
internal sealed class WrapSender(SyntheticPeer peer, byte tag, uint audioSsrc, uint videoSsrc, uint rtxSsrc)
{
    public const int VideoPayloadType = 96;
    public const int RtxPayloadType = 97;
    public const int AudioPayloadType = 111;
    private const int PayloadLength = 48;

    private readonly byte[] _buffer = new byte[1600];
    private readonly Dictionary<ushort, (int Index, int PictureId)> _videoBySeq = [];

    public ushort VideoSeq { get; set; } = 1;

    public ushort AudioSeq { get; set; } = 1;

    public ushort RtxSeq { get; set; } = 65_530;

    /// <summary>PictureID of the next video packet (each packet is a frame).</summary>
    public int PictureId { get; set; }

    /// <summary>Every video packet whose index is a multiple of this starts a keyframe.</summary>
    public int KeyframeInterval { get; set; } = 3000;

    public uint VideoSsrc => videoSsrc;

    /// <param name="send">False: the packet is numbered and remembered for RTX but lost before the SFU.</param>
    public void SendVideo(int index, bool keyframe = false, bool send = true)
    {
        var seq = VideoSeq++;
        _videoBySeq[seq] = (index, PictureId);
        var length = WriteVideo(_buffer, seq, index, PictureId, keyframe || index % KeyframeInterval == 0);
        PictureId = (PictureId + 1) & 0x7FFF;
        if (send)
        {
            peer.SendRtp(_buffer, length);
        }
    }

    public void SendAudio(int index)
    {
        var span = _buffer.AsSpan();
        var header = RtpHeaderWriter.WriteFixed(span, AudioPayloadType, false, AudioSeq++, (uint)(960L * index), audioSsrc);
        var payload = span.Slice(header, PayloadLength);
        payload.Clear();
        BinaryPrimitives.WriteInt32LittleEndian(payload, index);
        payload[4] = tag;
        peer.SendRtp(span, header + PayloadLength);
    }

    /// <summary>Answers a NACK for a video sequence number with an RTX packet; false if this sender never sent it.</summary>
    public bool SendRtx(ushort videoSeq)
    {
        if (!_videoBySeq.TryGetValue(videoSeq, out var sent))
        {
            return false;
        }
        var length = WriteVideo(_buffer, videoSeq, sent.Index, sent.PictureId, sent.Index % KeyframeInterval == 0);
        if (!RtxPacket.TryWrap(_buffer, length, RtxPayloadType, rtxSsrc, RtxSeq++, out var rtxLength))
        {
            return false;
        }
        peer.SendRtp(_buffer, rtxLength);
        return true;
    }

    private int WriteVideo(Span<byte> span, ushort seq, int index, int pictureId, bool keyframe)
    {
        var header = RtpHeaderWriter.WriteFixed(span, VideoPayloadType, true, seq, (uint)(3000L * index), videoSsrc);
        var payload = span.Slice(header, PayloadLength);
        payload.Clear();
        payload[0] = 0x90; // X=1 S=1 PID=0
        payload[1] = 0x80; // I=1: PictureID present
        payload[2] = (byte)(0x80 | (pictureId >> 8));
        payload[3] = (byte)pictureId;
        payload[4] = (byte)(keyframe ? 0x00 : 0x01); // VP8 frame tag: P bit 0 = key frame
        BinaryPrimitives.WriteInt32LittleEndian(payload[5..], index);
        payload[9] = tag;
        return header + PayloadLength;
    }

    /// <summary>Reads index, tag and PictureID back from a forwarded packet's payload.</summary>
    public static (int Index, byte Tag, int PictureId) Read(ReadOnlySpan<byte> payload, bool video) => video
        ? (BinaryPrimitives.ReadInt32LittleEndian(payload[5..]), payload[9], ((payload[2] & 0x7F) << 8) | payload[3])
        : (BinaryPrimitives.ReadInt32LittleEndian(payload), payload[4], -1);
}
