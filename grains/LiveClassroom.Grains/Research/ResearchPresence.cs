using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Grains.Research;

/// <summary>
/// One person present in a session: one presence however many connections; <see cref="DisconnectedAt"/> starts the
/// grace period. <see cref="PeerId"/> is set while the person has a media peer in the SFU room (their last offer's
/// publish mids and receive slots alongside), cleared when their last connection drops.
/// </summary>
public sealed class ResearchPresence
{
    public Guid PersonId { get; set; }

    public string DisplayName { get; set; } = "";

    public string Role { get; set; } = ResearchRoles.Participant;

    public DateTimeOffset JoinedAt { get; set; }

    public List<string> Connections { get; set; } = [];

    public DateTimeOffset? DisconnectedAt { get; set; }

    public string? PeerId { get; set; }

    public PublishedTracks? Publish { get; set; }

    public List<ReceiveSlot> Slots { get; set; } = [];
}
