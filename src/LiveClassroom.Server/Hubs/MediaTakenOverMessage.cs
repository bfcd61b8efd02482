namespace LiveClassroom.Server.Hubs;

/// <summary>
/// Sent to the one connection whose media peer another connection of the same account just replaced (a second tab,
/// another device). The receiving page stops its media and does not renegotiate by itself (docs/HUB.md). Both hubs
/// name the room <c>classId</c>.
/// </summary>
public sealed record MediaTakenOverMessage(string ClassId);
