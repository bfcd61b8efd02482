namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>One credit: its evidence (kind, id, date), minutes and 学时; note and author for 校本研修 only.</summary>
public sealed record CeCreditView(Guid Id, Guid PersonId, int Year, string Kind, string EvidenceId, DateOnly EvidenceDate, int Minutes, double Hours,
    string? Note, string? CreatedByName);
