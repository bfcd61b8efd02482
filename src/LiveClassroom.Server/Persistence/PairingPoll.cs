using LiveClassroom.Server.Apis.Contracts;

namespace LiveClassroom.Server.Persistence;

/// <summary>
/// The state of a pairing request as a poll sees it. <see cref="Device"/> and <see cref="TokenId"/> are set only on
/// the one poll that moves it from confirmed to collected.
/// </summary>
public sealed record PairingPoll(string Status, DateTimeOffset ExpiresAt, DeviceSelfView? Device, Guid? TokenId);
