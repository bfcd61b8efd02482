namespace LiveClassroom.Server.Apis.Contracts;

public sealed record AuditPage(IReadOnlyList<AuditEntry> Items);
