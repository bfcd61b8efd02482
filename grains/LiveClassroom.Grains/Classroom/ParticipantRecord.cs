namespace LiveClassroom.Grains.Classroom;

/// <summary>One principal in a class (keyed by principal id, so a reconnect finds the same record).</summary>
internal sealed class ParticipantRecord
{
    public string PrincipalId { get; set; } = "";

    public string DisplayName { get; set; } = "";

    public RoomRole Role { get; set; }

    public PrincipalKind Kind { get; set; }

    /// <summary>The classroom it acts for; null for observers.</summary>
    public string? ClassroomId { get; set; }

    public ConnectionState Connection { get; set; }

    public DateTimeOffset? DisconnectedAt { get; set; }

    public string? PeerId { get; set; }

    public PublishedTracks? Publish { get; set; }

    public List<ReceiveSlot> Slots { get; set; } = [];

    public ParticipantStats? Stats { get; set; }
}
