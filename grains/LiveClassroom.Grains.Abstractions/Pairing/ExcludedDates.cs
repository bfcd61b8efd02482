namespace LiveClassroom.Grains.Pairing;

/// <summary>Days without lessons, <paramref name="From"/> to <paramref name="To"/> inclusive (e.g. 国庆 Oct 1–7).</summary>
[GenerateSerializer, Immutable, Alias("lc.ExcludedDates")]
public sealed record ExcludedDates(DateOnly From, DateOnly To, string Reason);
