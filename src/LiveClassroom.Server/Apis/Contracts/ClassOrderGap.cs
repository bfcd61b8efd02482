namespace LiveClassroom.Server.Apis.Contracts;

public sealed record ClassOrderGap(Guid CountyId, IReadOnlyList<ClassOrderGapRow> Rows);
