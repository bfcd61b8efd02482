using System.Buffers.Binary;

namespace LiveClassroom.Media.Rtp.Codecs;

// RFC 7741 §4.2: X|R|N|S|R|PID, then (if X) I|L|T|K|RSV, PictureID (M bit → 15 bits), TL0PICIDX, TID|Y|KEYIDX.
internal static class Vp8Payload
{
    public static bool TryParse(ReadOnlySpan<byte> payload, out Vp8Descriptor descriptor)
    {
        descriptor = default;
        if (payload.IsEmpty)
        {
            return false;
        }
        var b0 = payload[0];
        var pos = 1;
        int pictureId = Vp8Descriptor.NoPictureId, pictureIdOffset = 0, tl0Offset = 0;
        bool longPictureId = false, hasTl0 = false, hasTid = false, sync = false, hasKeyIdx = false;
        byte tl0 = 0, tid = 0, keyIdx = 0;
        if ((b0 & 0x80) != 0)
        {
            if (payload.Length < 2)
            {
                return false;
            }
            var x = payload[1];
            pos = 2;
            if ((x & 0x80) != 0)
            {
                if (payload.Length < pos + 1)
                {
                    return false;
                }
                pictureIdOffset = pos;
                if ((payload[pos] & 0x80) != 0)
                {
                    if (payload.Length < pos + 2)
                    {
                        return false;
                    }
                    pictureId = BinaryPrimitives.ReadUInt16BigEndian(payload[pos..]) & 0x7FFF;
                    longPictureId = true;
                    pos += 2;
                }
                else
                {
                    pictureId = payload[pos] & 0x7F;
                    pos += 1;
                }
            }
            if ((x & 0x40) != 0)
            {
                if (payload.Length < pos + 1)
                {
                    return false;
                }
                hasTl0 = true;
                tl0Offset = pos;
                tl0 = payload[pos++];
            }
            if ((x & 0x30) != 0)
            {
                if (payload.Length < pos + 1)
                {
                    return false;
                }
                var t = payload[pos++];
                hasTid = (x & 0x20) != 0;
                hasKeyIdx = (x & 0x10) != 0;
                tid = (byte)(t >> 6);
                sync = (t & 0x20) != 0;
                keyIdx = (byte)(t & 0x1F);
            }
        }
        var start = (b0 & 0x10) != 0;
        var partition = b0 & 0x07;
        // §4.3: the payload header's P bit (inverse key frame flag) is in the first byte of partition 0.
        var keyframe = start && partition == 0 && payload.Length > pos && (payload[pos] & 0x01) == 0;
        descriptor = new Vp8Descriptor
        {
            IsNonReference = (b0 & 0x20) != 0,
            IsStartOfPartition = start,
            PartitionIndex = partition,
            PictureId = pictureId,
            HasLongPictureId = longPictureId,
            PictureIdOffset = pictureIdOffset,
            HasTl0PicIdx = hasTl0,
            Tl0PicIdx = tl0,
            Tl0PicIdxOffset = tl0Offset,
            HasTemporalLayer = hasTid,
            TemporalLayer = tid,
            LayerSync = sync,
            HasKeyIndex = hasKeyIdx,
            KeyIndex = keyIdx,
            Length = pos,
            IsKeyframe = keyframe,
        };
        return true;
    }

    /// <summary>Rewrites the picture id in place (keeping its 7/15-bit width) so simulcast layer switches stay continuous.</summary>
    public static bool TrySetPictureId(Span<byte> payload, in Vp8Descriptor descriptor, int pictureId)
    {
        if (descriptor.PictureId == Vp8Descriptor.NoPictureId)
        {
            return false;
        }
        if (descriptor.HasLongPictureId)
        {
            BinaryPrimitives.WriteUInt16BigEndian(payload[descriptor.PictureIdOffset..], (ushort)(0x8000 | (pictureId & 0x7FFF)));
        }
        else
        {
            payload[descriptor.PictureIdOffset] = (byte)(pictureId & 0x7F);
        }
        return true;
    }

    public static bool TrySetTl0PicIdx(Span<byte> payload, in Vp8Descriptor descriptor, byte value)
    {
        if (!descriptor.HasTl0PicIdx)
        {
            return false;
        }
        payload[descriptor.Tl0PicIdxOffset] = value;
        return true;
    }
}
