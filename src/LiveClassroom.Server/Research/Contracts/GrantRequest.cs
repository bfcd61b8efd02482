namespace LiveClassroom.Server.Research.Contracts;

public sealed record GrantRequest(Guid? PersonId);
