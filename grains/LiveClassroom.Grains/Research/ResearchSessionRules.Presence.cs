namespace LiveClassroom.Grains.Research;

/// <summary>Presence: one interval per person however many connections or reconnects it takes.</summary>
public sealed partial class ResearchSessionRules
{
    /// <summary>
    /// A connection of <paramref name="personId"/> arrives. A second connection, or a reconnect within the
    /// grace period, continues the same presence; otherwise a new one starts. <paramref name="role"/> is what
    /// the invitation grants (the server decides it); the host is always <see cref="ResearchRoles.Host"/>.
    /// </summary>
    public void Join(Guid personId, string displayName, string role, string connectionId)
    {
        Touch();
        if (Status == StatusEnded)
        {
            throw Conflict("session_ended", "The session has ended.", "教研活动已结束。");
        }
        if (role is not (ResearchRoles.Participant or ResearchRoles.Observer or ResearchRoles.Host))
        {
            throw Invalid("bad_role", $"Unknown role '{role}'.", $"未知的角色“{role}”。");
        }
        if (personId == HostId)
        {
            role = ResearchRoles.Host;
        }
        if (Find(personId) is { } p)
        {
            if (!p.Connections.Contains(connectionId))
            {
                p.Connections.Add(connectionId);
            }
            p.DisconnectedAt = null;
            return;
        }
        var now = Now;
        _s.Present.Add(new ResearchPresence { PersonId = personId, DisplayName = displayName, Role = role, JoinedAt = now, Connections = [connectionId] });
        _events.Add(new ResearchEvent("joined", now, personId, Role: role));
    }

    /// <summary>
    /// A connection dropped (network, closed tab). When it was the last one the person stays present for the
    /// grace period; if they are not back by then they left at the moment of the drop.
    /// </summary>
    public void Disconnect(Guid personId, string connectionId)
    {
        Touch();
        if (Find(personId) is not { } p || !p.Connections.Remove(connectionId) || p.Connections.Count > 0)
        {
            return;
        }
        p.DisconnectedAt = Now;
        // The media peer outlives a dropped signalling connection until the grace ends: a page that rejoins
        // renegotiates on the same peer (same DTLS association), which a new peer could not accept. Meanwhile
        // nobody is routed to or from it (routing needs a connection).
        if (ReconnectGrace <= TimeSpan.Zero)
        {
            RecordLeft(p, Now);
        }
    }

    /// <summary>
    /// The session activated again after its node died (the grain calls this on activation): every connection and media
    /// peer it knew of was held by that node or by the SFU room there, and is gone. Each person still connected counts
    /// as dropped at <paramref name="lostAt"/> (when the node was last known alive): back within the grace, the same
    /// presence goes on; not back, they left at that moment. <see cref="ResearchLiveState.MediaEpoch"/> moves on, so
    /// pages whose hub connection survived (on another node) see that they must join and negotiate media again.
    /// Returns false when nobody was connected (nothing changes).
    /// </summary>
    public bool ConnectionsLost(DateTimeOffset lostAt)
    {
        var dropped = _s.Present.Where(p => p.Connections.Count > 0 || p.PeerId is not null).ToList();
        if (dropped.Count == 0)
        {
            return false;
        }
        foreach (var p in dropped)
        {
            p.Connections.Clear();
            p.PeerId = null;
            p.Publish = null;
            p.Slots = [];
            p.DisconnectedAt ??= lostAt;
        }
        _s.MediaEpoch++;
        Touch();
        if (ReconnectGrace <= TimeSpan.Zero)
        {
            foreach (var p in dropped.Where(p => _s.Present.Contains(p)))
            {
                RecordLeft(p, p.DisconnectedAt ?? lostAt);
            }
        }
        return true;
    }

    /// <summary>The person chose to leave: every connection closes now, no grace.</summary>
    public void Leave(Guid personId)
    {
        Touch();
        if (Find(personId) is { } p)
        {
            RecordLeft(p, Now);
        }
    }

    public bool IsPresent(Guid personId) => Find(personId) is not null;

    /// <summary>Everyone present, in order of arrival (observers included).</summary>
    public IEnumerable<Guid> PresentIds => _s.Present.Select(p => p.PersonId);

    private ResearchPresence? Find(Guid personId) => _s.Present.FirstOrDefault(p => p.PersonId == personId);

    private void RecordLeft(ResearchPresence p, DateTimeOffset at)
    {
        _s.Present.Remove(p);
        _s.Queue.Remove(p.PersonId);
        if (_s.SpeakerId == p.PersonId)
        {
            EndTurn(at, "speaker");
        }
        _events.Add(new ResearchEvent("left", at, p.PersonId, Role: p.Role));
    }

    private string NameOf(Guid personId) => Find(personId)?.DisplayName ?? "";
}
