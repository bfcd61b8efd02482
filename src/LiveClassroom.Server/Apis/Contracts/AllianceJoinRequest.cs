namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A teacher's application to join, with an optional note to the chief.</summary>
public sealed record AllianceJoinRequest(string? Note);
