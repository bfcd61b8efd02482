namespace LiveClassroom.Server.Apis.Contracts;

public sealed record RejectRegistrationRequest(string? Reason);
