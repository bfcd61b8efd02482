namespace LiveClassroom.Server.Apis.Contracts;

public sealed record CeKindTotal(string Kind, int Minutes, double Hours);
