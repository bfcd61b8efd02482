using LiveClassroom.Media;

namespace LiveClassroom.Server.Recording;

/// <summary>
/// The SFU taps of one class's recording: which tracks the recording wants (the lead teacher's camera, screen and
/// microphone, the stage classrooms' microphones: <see cref="LiveClassRecording"/> decides from the class's events) and
/// the taps attached to them. A wanted track that is not on the SFU, or left it, is attached when the SFU publishes it
/// (again): a relay stand-in (a stage classroom on an edge node, fed back to the class's node) goes and comes back when
/// its link falls silent past the relay's limit or its feed leaves it out for a moment, and the class hears nothing of
/// it, so no class event would attach it again (issue #17). The same holds for a stand-in that reaches this node after
/// the class event that wanted it. Not thread-safe: the recording's loop owns it.
/// </summary>
internal sealed partial class RecorderTaps(IRecordingInput recorder, string classId, ILogger logger)
{
    private readonly Dictionary<string, RecorderTap> _taps = new(StringComparer.Ordinal);
    private Dictionary<string, (string PeerId, string Mid, TrackSource Source)> _wanted = new(StringComparer.Ordinal);

    /// <summary>Taps attached again when the SFU published a wanted track after it left (or after the class wanted it).</summary>
    public long Reattached { get; private set; }

    public bool TryGet(string trackId, out RecorderTap tap) => _taps.TryGetValue(trackId, out tap!);

    /// <summary>The tracks wanted now (by "peer/mid"): taps of others close, wanted ones not yet tapped are attached if the SFU has them.</summary>
    public void Want(Dictionary<string, (string PeerId, string Mid, TrackSource Source)> wanted, MediaRoom? room)
    {
        _wanted = wanted;
        Close(t => !wanted.ContainsKey(t.TrackId));
        if (room is null)
        {
            return;
        }
        foreach (var trackId in wanted.Keys)
        {
            Attach(trackId, room);
        }
    }

    /// <summary>The SFU published a track: a wanted one without a tap (it left, or was not there yet) is attached now.</summary>
    public void OnTrackPublished(string peerId, string mid, MediaRoom? room)
    {
        var trackId = $"{peerId}/{mid}";
        if (room is not null && !_taps.ContainsKey(trackId) && _wanted.ContainsKey(trackId) && Attach(trackId, room))
        {
            Reattached++;
        }
    }

    /// <summary>Re-registers a tap, which is how the façade asks its publisher for a keyframe (a forced PLI).</summary>
    public void AskKeyframe(string trackId, MediaRoom room)
    {
        if (_taps.TryGetValue(trackId, out var tap))
        {
            TryAttach(tap, room);
        }
    }

    private bool Attach(string trackId, MediaRoom room)
    {
        if (_taps.ContainsKey(trackId) || !_wanted.TryGetValue(trackId, out var w))
        {
            return false;
        }
        var tap = new RecorderTap(recorder, trackId, w.PeerId, w.Mid, w.Source);
        if (!TryAttach(tap, room))
        {
            return false;
        }
        _taps[trackId] = tap;
        LogTapped(logger, classId, trackId, w.Source);
        return true;
    }

    private bool TryAttach(RecorderTap tap, MediaRoom room)
    {
        try
        {
            tap.Attach(room);
            return true;
        }
        catch (KeyNotFoundException)
        {
            // The SFU has not (or no longer) got this track; its publishing (TrackPublished) attaches it.
            LogTrackMissing(logger, classId, tap.TrackId);
            return false;
        }
    }

    /// <summary>Closes the taps that match (their publisher or track left the SFU, or the recording no longer wants them).</summary>
    public void Close(Func<RecorderTap, bool> which)
    {
        foreach (var tap in _taps.Values.Where(which).ToList())
        {
            tap.Close();
            _taps.Remove(tap.TrackId);
            LogUntapped(logger, classId, tap.TrackId, tap.Packets, tap.Refused ?? "");
        }
    }

    public void CloseAll() => Close(_ => true);

    [LoggerMessage(Level = LogLevel.Information, Message = "Class {ClassId}: recording track {TrackId} ({Source})")]
    private static partial void LogTapped(ILogger logger, string classId, string trackId, TrackSource source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Class {ClassId}: track {TrackId} no longer recorded after {Packets} packets {Refused}")]
    private static partial void LogUntapped(ILogger logger, string classId, string trackId, long packets, string refused);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Class {ClassId}: track {TrackId} is not on the SFU (yet)")]
    private static partial void LogTrackMissing(ILogger logger, string classId, string trackId);
}
