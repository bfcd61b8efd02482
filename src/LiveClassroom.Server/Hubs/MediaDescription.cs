using LiveClassroom.Grains.Classroom;

namespace LiveClassroom.Server.Hubs;

/// <summary>The <c>Negotiate</c> argument describing the offer's transceivers (docs/HUB.md).</summary>
public sealed record MediaDescription(PublishDescription? Publish, IReadOnlyList<ReceiveSlotDescription>? ReceiveSlots)
{
    public const int MaxReceiveSlots = 32;

    /// <summary>Longest SDP offer a hub accepts (the hubs' message limit is 64 KB).</summary>
    public const int MaxSdpLength = 48 * 1024;

    /// <summary>
    /// Whether an offer is at least shaped like SDP and not oversized. The media plane parses it for real; what fails
    /// here is refused by the hub with its own precise code before it reaches a grain.
    /// </summary>
    public static bool IsPlausibleOffer(string? sdpOffer) =>
        sdpOffer is not null && sdpOffer.Length <= MaxSdpLength && Media.SdpSyntax.IsWellFormed(sdpOffer);

    public PublishedTracks ToTracks() => new(Publish?.Camera, Publish?.Microphone, Publish?.Screen);

    public IReadOnlyList<ReceiveSlot> ToSlots() =>
        [.. (ReceiveSlots ?? []).Select(s => new ReceiveSlot(s.Name ?? "", s.Mid ?? ""))];
}
