using System.Text;
using LiveClassroom.Media.Sfu;

namespace LiveClassroom.Media.Relay;

/// <summary>
/// The Tracks message: each fed track with the one-byte index its RTP messages carry. Written twice a second (it allocates;
/// the per-packet path does not). Layout: count, then per track index, publisher, mid, kind, codec (payload type, name,
/// clock rate, channels, fmtp), rids, RED payload type, layers (SSRC, rid, last sender report).
/// </summary>
internal static class RelayTrackTable
{
    public static int Write(Span<byte> destination, IReadOnlyList<(byte Index, RelayTrackInfo Track)> tracks)
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write((byte)tracks.Count);
            foreach (var (index, t) in tracks)
            {
                w.Write(index);
                w.Write(t.PublisherId);
                w.Write(t.Mid);
                w.Write(t.Kind);
                w.Write(t.Codec.PayloadType);
                w.Write(t.Codec.Name);
                w.Write(t.Codec.ClockRate);
                w.Write(t.Codec.Channels);
                w.Write(t.Codec.Fmtp ?? "");
                w.Write((byte)t.Rids.Count);
                foreach (var rid in t.Rids)
                {
                    w.Write(rid);
                }
                w.Write(t.RedPayloadType ?? -1);
                w.Write((byte)t.Layers.Count);
                foreach (var l in t.Layers)
                {
                    w.Write(l.Ssrc);
                    w.Write(l.Rid ?? "");
                    w.Write(l.HasSenderReport);
                    w.Write(l.Ntp);
                    w.Write(l.Rtp);
                    w.Write(l.SenderReportAgeMillis);
                }
            }
        }
        if (stream.Length > destination.Length)
        {
            return -1;
        }
        stream.GetBuffer().AsSpan(0, (int)stream.Length).CopyTo(destination);
        return (int)stream.Length;
    }

    /// <summary>Parses a Tracks body; false if it is malformed (the sender is authenticated, so that is a bug, counted by the caller).</summary>
    public static bool TryRead(ReadOnlySpan<byte> body, out List<(byte Index, RelayTrackInfo Track)> tracks)
    {
        tracks = [];
        try
        {
            using var r = new BinaryReader(new MemoryStream(body.ToArray()), Encoding.UTF8);
            int count = r.ReadByte();
            for (var i = 0; i < count; i++)
            {
                var index = r.ReadByte();
                var publisher = r.ReadString();
                var mid = r.ReadString();
                var kind = r.ReadString();
                var codec = new RtpCodec(r.ReadInt32(), r.ReadString(), r.ReadInt32(), r.ReadInt32(), r.ReadString() is { Length: > 0 } f ? f : null);
                var rids = new string[r.ReadByte()];
                for (var k = 0; k < rids.Length; k++)
                {
                    rids[k] = r.ReadString();
                }
                var red = r.ReadInt32();
                var layers = new RelayLayerInfo[r.ReadByte()];
                for (var k = 0; k < layers.Length; k++)
                {
                    layers[k] = new RelayLayerInfo(r.ReadUInt32(), r.ReadString() is { Length: > 0 } rid ? rid : null, r.ReadBoolean(), r.ReadUInt64(),
                        r.ReadUInt32(), r.ReadInt64());
                }
                if (kind is not ("audio" or "video"))
                {
                    return false;
                }
                tracks.Add((index, new RelayTrackInfo(publisher, mid, kind, codec, rids, red >= 0 ? red : null, layers)));
            }
            return true;
        }
        catch (EndOfStreamException)
        {
            return false;
        }
        catch (IOException)
        {
            return false;
        }
    }
}
