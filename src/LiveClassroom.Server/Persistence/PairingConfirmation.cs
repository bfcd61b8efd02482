using LiveClassroom.Server.Apis.Contracts;

namespace LiveClassroom.Server.Persistence;

/// <summary>The outcome of confirming a pairing code: the new device, or null when the code was not usable.</summary>
public sealed record PairingConfirmation(DeviceView? Device);
