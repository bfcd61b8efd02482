namespace LiveClassroom.Grains.Classroom;

/// <summary>A participant's media fields (<see cref="ParticipantRecord"/>), as a <see cref="ClassroomMediaLog"/> carries them.</summary>
internal sealed class ParticipantMedia
{
    public string PrincipalId { get; set; } = "";

    public string? PeerId { get; set; }

    public PublishedTracks? Publish { get; set; }

    public List<ReceiveSlot> Slots { get; set; } = [];

    public ParticipantStats? Stats { get; set; }

    public static ParticipantMedia Of(ParticipantRecord p) =>
        new() { PrincipalId = p.PrincipalId, PeerId = p.PeerId, Publish = p.Publish, Slots = [.. p.Slots], Stats = p.Stats };

    public void ApplyTo(ParticipantRecord p)
    {
        p.PeerId = PeerId;
        p.Publish = Publish;
        p.Slots = [.. Slots];
        p.Stats = Stats;
    }
}
