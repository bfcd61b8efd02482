namespace LiveClassroom.Media.Srtp;

/// <summary>
/// Per-SSRC state of one direction: the highest packet index (ROC || s_l, RFC 3711 §3.3.1), the SRTP and
/// SRTCP replay windows and the next SRTCP index to send. Owned by one <see cref="SrtpContext"/>.
/// </summary>
internal sealed class SrtpStream
{
    public SrtpReplayWindow RtpWindow;
    public SrtpReplayWindow RtcpWindow;

    public SrtpStream(uint ssrc) => Ssrc = ssrc;

    public uint Ssrc { get; }

    /// <summary>Context-local use counter value at the last packet, for least-recently-used eviction.</summary>
    public long LastUsed { get; set; }

    /// <summary>Whether any RTP packet has been protected/accepted, so <see cref="HighestIndex"/> is meaningful.</summary>
    public bool HasRtpIndex { get; set; }

    /// <summary>ROC * 65536 + highest sequence number seen (or sent).</summary>
    public ulong HighestIndex { get; set; }

    public uint RolloverCounter => (uint)(HighestIndex >> 16);

    /// <summary>Next SRTCP index this side sends (31 bits).</summary>
    public uint NextRtcpIndex { get; set; }

    // RFC 3711 §3.3.1 / Appendix A: guess ROC so that the index is closest to the highest one seen.
    public static bool TryEstimateIndex(bool hasIndex, ulong highest, ushort seq, out ulong index)
    {
        if (!hasIndex)
        {
            index = seq;
            return true;
        }
        var roc = (long)(highest >> 16);
        var sl = (int)(highest & 0xFFFF);
        long v;
        if (sl < 32768)
        {
            v = seq - sl > 32768 ? roc - 1 : roc;
        }
        else
        {
            v = sl - 32768 > seq ? roc + 1 : roc;
        }
        if (v < 0 || v > uint.MaxValue)
        {
            index = 0;
            return false;
        }
        index = ((ulong)v << 16) | seq;
        return true;
    }
}
