namespace LiveClassroom.Grains.Research;

/// <summary>
/// The floor: request → queue → host grants → the speaker is live → the host, the speaker, the turn timer,
/// the speaker leaving or the session ending closes the turn. One speaker at a time besides the host.
/// </summary>
public sealed partial class ResearchSessionRules
{
    public Guid? CurrentSpeakerId => _s.SpeakerId;

    /// <summary>Asks for the floor; asking twice keeps one place in the queue.</summary>
    public void RequestToSpeak(Guid personId)
    {
        Touch();
        RequireLive();
        if (Find(personId) is not { } p)
        {
            throw Conflict("not_joined", "Join the session before asking to speak.", "请先加入教研活动再申请发言。");
        }
        if (p.Role == ResearchRoles.Observer)
        {
            throw new ResearchRuleException(ResearchRuleKind.Forbidden, "observer_cannot_speak",
                "Observers watch without being seen and cannot take the floor.", "观摩者仅旁听，不能申请发言。");
        }
        if (personId == HostId || _s.SpeakerId == personId || _s.Queue.Contains(personId))
        {
            return;
        }
        _s.Queue.Add(personId);
    }

    public void WithdrawRequest(Guid personId)
    {
        Touch();
        _s.Queue.Remove(personId);
    }

    /// <summary>Host only: gives the floor to a queued person, ending any current turn.</summary>
    public void Grant(Guid callerId, Guid personId)
    {
        Touch();
        RequireHost(callerId);
        RequireLive();
        if (!_s.Queue.Contains(personId))
        {
            throw Conflict("not_in_queue", "That person has not asked to speak.", "该成员没有申请发言。");
        }
        var now = Now;
        if (_s.SpeakerId is not null)
        {
            EndTurn(now, "host");
        }
        _s.Queue.Remove(personId);
        _s.SpeakerId = personId;
        _s.SpeakerStartedAt = now;
    }

    /// <summary>The host or the speaker ends the current turn.</summary>
    public void EndCurrentTurn(Guid callerId)
    {
        Touch();
        RequireLive();
        if (_s.SpeakerId is not { } speaker)
        {
            throw Conflict("no_speaker", "Nobody holds the floor.", "当前没有人在发言。");
        }
        if (callerId == HostId)
        {
            EndTurn(Now, "host");
        }
        else if (callerId == speaker)
        {
            EndTurn(Now, "speaker");
        }
        else
        {
            throw new ResearchRuleException(ResearchRuleKind.Forbidden, "not_host", "Only the host or the speaker may end the turn.", "只有主持人或发言人可以结束发言。");
        }
    }

    /// <summary>Host only: play, pause or seek the shared recording.</summary>
    public PlaybackState SetPlayback(Guid callerId, Guid recordingId, bool playing, double positionSeconds)
    {
        Touch();
        RequireHost(callerId);
        RequireLive();
        if (!double.IsFinite(positionSeconds) || positionSeconds < 0)
        {
            throw Invalid("bad_position", "The position must be a number of seconds ≥ 0.", "播放位置必须是不小于 0 的秒数。");
        }
        _s.Playback = new PlaybackState(recordingId, playing, positionSeconds, Now);
        return _s.Playback;
    }

    private void EndTurn(DateTimeOffset at, string endedBy)
    {
        var speaker = _s.SpeakerId!.Value;
        var since = _s.SpeakerStartedAt!.Value;
        _s.SpeakerId = null;
        _s.SpeakerStartedAt = null;
        _events.Add(new ResearchEvent("turn_ended", at, speaker, StartedAt: since, EndedBy: endedBy));
    }

    private static PlaybackState Freeze(PlaybackState p, DateTimeOffset now) =>
        p with { Playing = false, PositionSeconds = p.PositionSeconds + (now - p.AtServerTime).TotalSeconds, AtServerTime = now };
}
