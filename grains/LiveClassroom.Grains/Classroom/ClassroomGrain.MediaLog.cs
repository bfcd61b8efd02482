using LiveClassroom.Grains.Rooms;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// Where a media negotiation's change is stored. Every event's write is the commit point of its sequence number; a
/// negotiation changes only the participant's media fields (peer, publish mids, receive slots; stats reports likewise),
/// yet writing the whole class for it meant ~260 KB of JSON per write with 600 participants, and the write loop carries
/// one write at a time: when an edge node dies, its ~200 classrooms' offers waited for writes of the whole class. Such a
/// change is committed as a part (<see cref="RoomGrain{TState}.CommitPartAsync"/>): the write stores the media log
/// (<see cref="ClassroomMediaLog"/>, its own row): the sequence number and every participant whose media changed since the
/// last whole write, as it stands. Any other change, or a log past <see cref="MediaLogLimit"/> participants, writes the
/// whole class (its revision +1), which holds the log's contents; loading applies a log that names the stored revision.
/// </summary>
internal sealed partial class ClassroomGrain
{
    /// <summary>
    /// Participants a media log carries before the next write is of the whole class (the log then starts empty): half the
    /// class, at least 64. An entry is about half a participant's size in the whole state, so a log costs at most about
    /// a quarter of a whole write; all of a lost edge's classrooms (a third of a class spread over three nodes) fit.
    /// </summary>
    private int MediaLogLimit => Math.Max(64, State.Participants.Count / 2);

    private readonly IPersistentState<ClassroomMediaLog> _mediaLog;

    /// <summary>Participants whose media changed since the last whole write (what the next part write carries).</summary>
    private readonly HashSet<string> _mediaChanged = new(StringComparer.Ordinal);

    /// <summary>Applies the stored media log to the class's state (on activation, before anything).</summary>
    private void LoadMediaLog()
    {
        var log = _mediaLog.State;
        if (!_mediaLog.RecordExists || log.Revision != State.Revision)
        {
            // None, or written before the class's last whole write, which holds it.
            return;
        }
        State.Sequence = Math.Max(State.Sequence, log.Sequence);
        State.WrittenAt = log.WrittenAt;
        State.WrittenBy = log.WrittenBy;
        foreach (var m in log.Participants)
        {
            if (State.Participants.Find(p => p.PrincipalId == m.PrincipalId) is { } p)
            {
                m.ApplyTo(p);
                _mediaChanged.Add(p.PrincipalId);
            }
        }
    }

    /// <summary>Commits a change of these participants' media fields only (and the events emitted for it).</summary>
    private Task CommitMediaAsync(IEnumerable<string> principalIds)
    {
        _mediaChanged.UnionWith(principalIds);
        return CommitPartAsync();
    }

    protected override async Task<bool> TryWritePartAsync()
    {
        if (_mediaChanged.Count > MediaLogLimit)
        {
            return false;
        }
        var log = _mediaLog.State;
        log.Revision = State.Revision;
        log.Sequence = State.Sequence;
        log.WrittenAt = State.WrittenAt;
        log.WrittenBy = State.WrittenBy;
        log.Participants = [.. State.Participants.Where(p => _mediaChanged.Contains(p.PrincipalId)).Select(ParticipantMedia.Of)];
        await _mediaLog.WriteStateAsync();
        return true;
    }

    // Metered with the negotiation's parts: a negotiation's commit waits for the write in flight, then its own.
    protected override void WriteMeasured(string part, long since) => ClassroomMeters.Record(part, since);

    protected override void OnWholeWrite()
    {
        State.Revision++;
        _mediaChanged.Clear();
    }
}
