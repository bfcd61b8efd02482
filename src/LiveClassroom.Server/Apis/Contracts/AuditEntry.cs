using System.Text.Json;

namespace LiveClassroom.Server.Apis.Contracts;

public sealed record AuditEntry(
    DateTimeOffset At, Guid? ActorId, string? ActorName, string Action, string TargetType, Guid? TargetId,
    Guid? OrganisationId, JsonElement Details);
