using System.Buffers.Binary;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// How packets reach parts, and how a part gives way to the next when the tracks change. A publisher that comes back
/// (page reload, second tab: a new connection) restarts its streams with new SSRCs, sequence numbers and timestamps
/// (RFC 3550 §8.2), or its tracks are removed and declared again; ffmpeg's RTP input would drop or mistime that, so a
/// new part starts. The switch never waits for the old ffmpeg (it finishes in the background), the new part starts
/// once every track of the old one is back (camera and microphone return a moment apart: one new part, not two) or a
/// grace has passed, and what arrived meanwhile is kept and replayed into it. A video track is asked for a keyframe
/// when a new source appears and again, rate-limited, until one reaches the part: a part gets no picture before it.
/// </summary>
public sealed partial class Recorder
{
    private const int SettlingCapacity = 10_000;

    /// <summary>Tracks of the last part (their object and SSRC then) that have not come back yet; null when none is awaited.</summary>
    private List<(string Id, RecorderTrack Track, uint Ssrc)>? _awaitingReturn;
    private long _returnDeadline;
    private RecordingPart? _lastPart;

    private async Task OnPacketAsync(RecorderItem item)
    {
        var track = item.Track!;
        if (_state != RecorderState.Recording || track.Removed)
        {
            Release(item);
            return;
        }
        track.Packets++;
        var ssrc = SsrcOf(item);
        if (!track.Active)
        {
            track.Active = true;
            MarkDirty(item.Arrival);
            if (ReturnsToLastPart(track))
            {
                // Declared again after its tap was closed: the publisher's page came back.
                LogSourceChanged(_logger, RecordingId, track.Id);
                AwaitReturn(item.Arrival);
            }
        }
        if (track.Ssrc != ssrc)
        {
            if (track.Ssrc != 0)
            {
                // Same track, new stream: the publisher came back on a new connection.
                LogSourceChanged(_logger, RecordingId, track.Id);
                AwaitReturn(item.Arrival);
                MarkDirty(item.Arrival);
            }
            track.Ssrc = ssrc;
        }
        if (_dirty || _current is null)
        {
            RetireCurrentPart();
            if (_settling.Count >= SettlingCapacity)
            {
                Release(_settling[0]);
                _settling.RemoveAt(0);
            }
            _settling.Add(item);
            if (item.Arrival < _settleUntil || (_awaitingReturn is not null && !AllReturned() && item.Arrival < _returnDeadline))
            {
                return;
            }
            _dirty = false;
            _awaitingReturn = null;
            var part = await StartPartAsync();
            if (part is null)
            {
                return;
            }
            foreach (var pending in _settling)
            {
                Forward(part, pending);
            }
            _settling.Clear();
            return;
        }
        Forward(_current, item);
    }

    private bool ReturnsToLastPart(RecorderTrack track)
    {
        if (_lastPart is null)
        {
            return false;
        }
        foreach (var pt in _lastPart.Tracks)
        {
            if (pt.Track.Id == track.Id && !ReferenceEquals(pt.Track, track))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>From the first sign of a returning publisher, the next part waits for the last part's other tracks too.</summary>
    private void AwaitReturn(long arrival)
    {
        if (_awaitingReturn is not null || _lastPart is null)
        {
            return;
        }
        _awaitingReturn = [.. _lastPart.Tracks.Select(pt => (pt.Track.Id, pt.Track, pt.Track.Ssrc))];
        _returnDeadline = arrival + _options.SourceReturnGraceMilliseconds;
    }

    /// <summary>Every track of the last part is back: a new stream on it, or declared again and sending.</summary>
    private bool AllReturned()
    {
        foreach (var (id, old, ssrc) in _awaitingReturn!)
        {
            if (!_tracks.TryGetValue(id, out var now) || now.Removed)
            {
                return false;
            }
            if (ReferenceEquals(now, old) ? now.Ssrc == ssrc : !now.Active)
            {
                return false;
            }
        }
        return true;
    }

    private void Forward(RecordingPart part, RecorderItem item)
    {
        var pt = part.Find(item.Track!);
        if (pt is null || SsrcOf(item) != pt.Track.Ssrc)
        {
            // Not a track of this part, or a packet of a stream the track has since left (kept while settling).
            Release(item);
            return;
        }
        if (!part.Bound)
        {
            part.Unbound.Add(item);
            AskForMissingKeyframes(part);
            return;
        }
        if (part.FirstArrival == 0)
        {
            part.FirstArrival = item.Arrival;
        }
        var video = pt.Track.Kind == MediaKind.Video;
        var keyframe = video && RtpInspector.StartsKeyframe(pt.Track.Codec, item.Buffer.AsSpan(0, item.Length));
        if (!pt.Ready)
        {
            if (video && !keyframe)
            {
                pt.Track.Dropped++;
                Release(item);
                AskForMissingKeyframes(part);
                return;
            }
            pt.Ready = true;
        }
        if (keyframe)
        {
            pt.Track.KeyframeSeenAt = Environment.TickCount64;
        }
        AskForMissingKeyframes(part);
        if (!part.GateOpen)
        {
            part.Pending.Add(item);
            if (part.AllReady || item.Arrival - part.FirstArrival > _options.GateMilliseconds)
            {
                part.GateOpen = true;
                if (!part.AllReady)
                {
                    LogGateTimeout(_logger, RecordingId, part.Number);
                }
                foreach (var p in part.Pending)
                {
                    Send(part, p);
                }
                part.Pending.Clear();
            }
            return;
        }
        Send(part, item);
    }

    private void OnPartBound(RecordingPart part)
    {
        part.Bound = true;
        if (part != _current)
        {
            // Retired before ffmpeg bound: what waited went on to the next part.
            return;
        }
        var waiting = part.Unbound.ToArray();
        part.Unbound.Clear();
        foreach (var item in waiting)
        {
            Forward(part, item);
        }
    }

    /// <summary>
    /// RFC 4585 §6.3.1: a publisher sends a keyframe when asked (PLI). One request can be lost or reach a page that is
    /// not sending yet, so the request is repeated, rate-limited, until the part's video has its first keyframe. After
    /// that a keyframe is asked for when a segment's length passed without one: ffmpeg cuts segments only at keyframes and
    /// keeps the open one in memory until it cuts it, and a browser sends keyframes only when asked — without this a
    /// segment ran 22 s (measured in TwoNodeFailoverTests), and a node killed meanwhile lost all of it. So a crash loses
    /// about one segment at most. Keyframes others asked for (classrooms switching layers, a decoder's PLI) count: Chrome
    /// encodes every simulcast layer as a keyframe on any request (RuralLinkFigures prints equal counts per layer), and
    /// on a 300 kbps classroom's link each one is a burst, so the recorder asks for none it does not need.
    /// </summary>
    private void AskForMissingKeyframes(RecordingPart part)
    {
        var now = Environment.TickCount64;
        var segment = Math.Max(1, _options.SegmentSeconds) * 1000L;
        foreach (var t in part.Tracks)
        {
            if (t.Track.Kind != MediaKind.Video)
            {
                continue;
            }
            if (!t.Ready && now - t.Track.KeyframeAskedAt >= _options.KeyframeRetryMilliseconds)
            {
                LogKeyframeAskedAgain(_logger, RecordingId, t.Track.Id);
                AskKeyframe(t.Track, now);
            }
            else if (t.Ready && part.GateOpen && now - Math.Max(t.Track.KeyframeAskedAt, t.Track.KeyframeSeenAt) >= segment)
            {
                AskKeyframe(t.Track, now);
            }
        }
    }

    private void AskKeyframe(RecorderTrack track, long now)
    {
        track.KeyframeAskedAt = now;
        KeyframeNeeded?.Invoke(track.Id);
    }

    private static uint SsrcOf(RecorderItem item) => BinaryPrimitives.ReadUInt32BigEndian(item.Buffer.AsSpan(8, 4));

    [LoggerMessage(Level = LogLevel.Information, Message = "Recording {RecordingId}: track {TrackId} comes from a new stream (the publisher came back); starting a new part")]
    private static partial void LogSourceChanged(ILogger logger, Guid recordingId, string trackId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Recording {RecordingId}: track {TrackId} still has no keyframe in this part; asking again")]
    private static partial void LogKeyframeAskedAgain(ILogger logger, Guid recordingId, string trackId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Recording {RecordingId} part {Part}: not every track produced a start packet in time; starting without waiting")]
    private static partial void LogGateTimeout(ILogger logger, Guid recordingId, int part);
}
