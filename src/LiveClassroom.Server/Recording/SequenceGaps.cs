namespace LiveClassroom.Server.Recording;

/// <summary>
/// The RTP sequence numbers (RFC 3550 §5.1) a part's track skipped and has not seen since, with when each gap opened:
/// ffmpeg's RTP input holds every packet behind a gap for up to <see cref="PartArguments.MaxDelay"/> (waiting for the
/// retransmission), and a SIGTERM meanwhile drops them. Before stopping a part the recorder waits until ffmpeg has
/// given the open gaps up (<see cref="DrainDeadline"/>), so a class's last seconds are kept when its last packets were
/// lost. Used only on the recorder loop.
/// </summary>
public sealed class SequenceGaps(long maxDelayMs)
{
    /// <summary>Beyond this many missing packets in one jump the stream restarted (a new encoder): nothing waits on it.</summary>
    internal const int MaxJump = 1000;

    /// <summary>At most this many open gaps are kept (the newest); a longer list only happens on a link losing most packets.</summary>
    internal const int MaxOpen = 512;

    private readonly List<(ushort Seq, long OpenedAt)> _open = [];
    private bool _started;
    private ushort _highest;

    /// <summary>Open gaps (for tests and diagnostics).</summary>
    public int Open => _open.Count;

    /// <summary>A packet with <paramref name="seq"/> went to ffmpeg at <paramref name="now"/> (Environment.TickCount64).</summary>
    public void Observe(ushort seq, long now)
    {
        if (!_started)
        {
            _started = true;
            _highest = seq;
            return;
        }
        var ahead = (short)(ushort)(seq - _highest);
        if (ahead > 0)
        {
            if (ahead > MaxJump)
            {
                _open.Clear();
            }
            else
            {
                // Gaps ffmpeg has given up on by now wait for nothing any more.
                var stale = _open.FindIndex(g => g.OpenedAt + maxDelayMs >= now);
                _open.RemoveRange(0, stale < 0 ? _open.Count : stale);
                for (var s = (ushort)(_highest + 1); s != seq; s++)
                {
                    _open.Add((s, now));
                }
                if (_open.Count > MaxOpen)
                {
                    _open.RemoveRange(0, _open.Count - MaxOpen);
                }
            }
            _highest = seq;
            return;
        }
        if (ahead < 0)
        {
            // A retransmission (RFC 4588, unwrapped by the SFU) or a reordered packet fills its gap.
            var i = _open.FindIndex(g => g.Seq == seq);
            if (i >= 0)
            {
                _open.RemoveAt(i);
            }
        }
    }

    /// <summary>
    /// When ffmpeg will have given up every gap still open (the newest gap's opening plus the max delay), or
    /// <paramref name="now"/> when none is: a stop before then loses the packets queued behind them.
    /// </summary>
    public long DrainDeadline(long now)
    {
        var until = now;
        foreach (var (_, openedAt) in _open)
        {
            until = Math.Max(until, openedAt + maxDelayMs);
        }
        return until;
    }
}
