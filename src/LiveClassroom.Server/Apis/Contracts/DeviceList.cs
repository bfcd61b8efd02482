namespace LiveClassroom.Server.Apis.Contracts;

public sealed record DeviceList(IReadOnlyList<DeviceView> Devices);
