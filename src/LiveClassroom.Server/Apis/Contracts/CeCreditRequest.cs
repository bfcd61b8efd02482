namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>校本研修 hours a school admin adds: <c>Hours</c> in 学时 (0.5 steps), <c>Date</c> yyyy-MM-dd, a note.</summary>
public sealed record CeCreditRequest(Guid? PersonId, string? Date, double? Hours, string? Note);
