namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>GET /api/me for a device principal.</summary>
public sealed record DeviceMeResponse(DeviceSelfView Device)
{
    public string Kind => "device";
}
