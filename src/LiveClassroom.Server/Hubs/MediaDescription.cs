using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Server.Hubs;

/// <summary>The <c>Negotiate</c> argument describing the offer's transceivers (docs/HUB.md).</summary>
public sealed record MediaDescription(PublishDescription? Publish, IReadOnlyList<ReceiveSlotDescription>? ReceiveSlots)
{
    public const int MaxReceiveSlots = 32;

    public PublishedTracks ToTracks() => new(Publish?.Camera, Publish?.Microphone, Publish?.Screen);

    public IReadOnlyList<ReceiveSlot> ToSlots() =>
        [.. (ReceiveSlots ?? []).Select(s => new ReceiveSlot(s.Name ?? "", s.Mid ?? ""))];
}
