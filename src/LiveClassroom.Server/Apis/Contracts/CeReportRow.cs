namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>One teacher in a school or county view; <c>HoursByKind</c> has every kind, zero included.</summary>
public sealed record CeReportRow(Guid PersonId, string Name, Guid SchoolId, string SchoolName, int TotalHours, double EarnedHours,
    double ExpectedHours, bool Behind, IReadOnlyDictionary<string, double> HoursByKind);
