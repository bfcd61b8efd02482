using System.Text.Json.Serialization;

namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A poll answer: pending, expired, confirmed (with the token, once) or collected.</summary>
public sealed record PairingStatus(string Status)
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DateTimeOffset? ExpiresAt { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? DeviceToken { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public DeviceSelfView? Device { get; init; }
}
