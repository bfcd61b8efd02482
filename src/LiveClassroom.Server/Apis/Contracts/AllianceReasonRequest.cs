namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>The reason given when an alliance or a membership application is rejected.</summary>
public sealed record AllianceReasonRequest(string? Reason);
