namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>One subject and grade of a county's orders: <c>Unmet</c> counts open orders whose term has already begun.</summary>
public sealed record ClassOrderGapRow(string Subject, string Grade, int Open, int Accepted, int Confirmed, int Unmet);
