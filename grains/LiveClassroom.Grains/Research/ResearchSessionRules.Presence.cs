namespace LiveClassroom.Grains.Research;

/// <summary>Presence: one interval per person however many connections or reconnects it takes.</summary>
public sealed partial class ResearchSessionRules
{
    private readonly Dictionary<Guid, Presence> _present = [];
    private readonly Dictionary<Guid, string> _names = [];

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
        _names[personId] = displayName;
        if (_present.TryGetValue(personId, out var p))
        {
            p.Connections.Add(connectionId);
            p.DisconnectedAt = null;
            return;
        }
        var now = Now;
        p = new Presence(personId, displayName, role, now);
        p.Connections.Add(connectionId);
        _present[personId] = p;
        _events.Add(new ResearchEvent("joined", now, personId, Role: role));
    }

    /// <summary>
    /// A connection dropped (network, closed tab). When it was the last one the person stays present for the
    /// grace period; if they are not back by then they left at the moment of the drop.
    /// </summary>
    public void Disconnect(Guid personId, string connectionId)
    {
        Touch();
        if (!_present.TryGetValue(personId, out var p) || !p.Connections.Remove(connectionId) || p.Connections.Count > 0)
        {
            return;
        }
        p.DisconnectedAt = Now;
        if (ReconnectGrace <= TimeSpan.Zero)
        {
            RecordLeft(p, Now);
        }
    }

    /// <summary>The person chose to leave: every connection closes now, no grace.</summary>
    public void Leave(Guid personId)
    {
        Touch();
        if (_present.TryGetValue(personId, out var p))
        {
            RecordLeft(p, Now);
        }
    }

    public bool IsPresent(Guid personId) => _present.ContainsKey(personId);

    private void RecordLeft(Presence p, DateTimeOffset at)
    {
        _present.Remove(p.PersonId);
        _queue.Remove(p.PersonId);
        if (_speaker is { } s && s.PersonId == p.PersonId)
        {
            EndTurn(at, "speaker");
        }
        _events.Add(new ResearchEvent("left", at, p.PersonId, Role: p.Role));
    }

    private string NameOf(Guid personId) => _names.TryGetValue(personId, out var n) ? n : "";

    private sealed class Presence(Guid personId, string displayName, string role, DateTimeOffset joinedAt)
    {
        public Guid PersonId { get; } = personId;

        public string DisplayName { get; } = displayName;

        public string Role { get; } = role;

        public DateTimeOffset JoinedAt { get; } = joinedAt;

        public HashSet<string> Connections { get; } = new(StringComparer.Ordinal);

        public DateTimeOffset? DisconnectedAt { get; set; }
    }
}
