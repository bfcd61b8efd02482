namespace LiveClassroom.Grains.Classroom;

/// <summary>A recvonly transceiver of a participant: its <paramref name="Name"/> (see <see cref="MediaOffer"/>) and mid.</summary>
public sealed record ReceiveSlot(string Name, string Mid);
