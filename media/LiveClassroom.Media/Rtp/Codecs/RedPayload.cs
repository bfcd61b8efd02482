namespace LiveClassroom.Media.Rtp.Codecs;

// RFC 2198 §3: a RED payload is a chain of block headers — F=1: F | block PT (7) | timestamp offset (14) | block
// length (10), 4 bytes; the last, F=0: F | block PT (7), 1 byte — followed by the blocks' data in the same order.
// The last block is the primary encoding; the ones before it are older (redundant) copies.
internal static class RedPayload
{
    /// <summary>Finds the primary block: its payload type and where its data lies in <paramref name="payload"/>. False if malformed.</summary>
    public static bool TryGetPrimary(ReadOnlySpan<byte> payload, out byte payloadType, out int offset, out int length)
    {
        payloadType = 0;
        offset = 0;
        length = 0;
        var at = 0;
        var redundantBytes = 0;
        while (true)
        {
            if (at >= payload.Length)
            {
                return false;
            }
            if ((payload[at] & 0x80) == 0)
            {
                payloadType = (byte)(payload[at] & 0x7F);
                at += 1;
                break;
            }
            if (payload.Length - at < 4)
            {
                return false;
            }
            redundantBytes += ((payload[at + 2] & 0x03) << 8) | payload[at + 3];
            at += 4;
        }
        offset = at + redundantBytes;
        if (offset > payload.Length)
        {
            return false;
        }
        length = payload.Length - offset;
        return true;
    }

    /// <summary>
    /// Gives every block of payload type <paramref name="from"/> the payload type <paramref name="to"/> (the block PT field of
    /// each header, §3), in place. False if the headers are malformed (then the payload may be partly rewritten).
    /// </summary>
    public static bool TryRewriteBlockPayloadTypes(Span<byte> payload, byte from, byte to)
    {
        var at = 0;
        var blockBytes = 0;
        while (true)
        {
            if (at >= payload.Length)
            {
                return false;
            }
            var last = (payload[at] & 0x80) == 0;
            if ((payload[at] & 0x7F) == from)
            {
                payload[at] = (byte)((payload[at] & 0x80) | (to & 0x7F));
            }
            if (last)
            {
                return at + 1 + blockBytes <= payload.Length;
            }
            if (payload.Length - at < 4)
            {
                return false;
            }
            blockBytes += ((payload[at + 2] & 0x03) << 8) | payload[at + 3];
            at += 4;
        }
    }
}
