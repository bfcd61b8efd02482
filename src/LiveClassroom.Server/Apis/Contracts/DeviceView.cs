namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A paired classroom device as admins see it. <see cref="Status"/> is <c>active</c> or <c>revoked</c>.</summary>
public sealed record DeviceView(
    Guid Id, string Name, Guid ClassroomId, string ClassroomName, Guid SchoolId, string SchoolName,
    DateTimeOffset PairedAt, PersonRef? PairedBy, DateTimeOffset? LastSeenAt, DateTimeOffset? RevokedAt)
{
    public string Status => RevokedAt is null ? "active" : "revoked";
}
