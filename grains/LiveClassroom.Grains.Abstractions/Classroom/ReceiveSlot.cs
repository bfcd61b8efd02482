namespace LiveClassroom.Grains.Classroom;

/// <summary>A recvonly transceiver of a participant: its <paramref name="Name"/> (see <see cref="MediaOffer"/>) and mid.</summary>
[GenerateSerializer, Immutable, Alias("lc.ReceiveSlot")]
public sealed record ReceiveSlot(string Name, string Mid);
