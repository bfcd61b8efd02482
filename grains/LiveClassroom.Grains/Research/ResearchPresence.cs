namespace LiveClassroom.Grains.Research;

/// <summary>One person present in a session: one presence however many connections; <see cref="DisconnectedAt"/> starts the grace period.</summary>
public sealed class ResearchPresence
{
    public Guid PersonId { get; set; }

    public string DisplayName { get; set; } = "";

    public string Role { get; set; } = ResearchRoles.Participant;

    public DateTimeOffset JoinedAt { get; set; }

    public List<string> Connections { get; set; } = [];

    public DateTimeOffset? DisconnectedAt { get; set; }
}
