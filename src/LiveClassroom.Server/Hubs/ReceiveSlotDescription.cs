namespace LiveClassroom.Server.Hubs;

/// <summary>One recvonly transceiver: the slot name (<c>main</c>, <c>main-audio</c>, <c>screen</c>, <c>stage1</c>, <c>stage1-audio</c> …) and its mid.</summary>
public sealed record ReceiveSlotDescription(string? Name, string? Mid);
