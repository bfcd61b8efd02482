namespace LiveClassroom.Server.Research;

/// <summary>How the observers scored one criterion; null figures when nobody scored it. StdDev is the population σ.</summary>
public sealed record CriterionStats(string Key, string Name, double Weight, int Count, double? Mean, double? Min, double? Max, double? StdDev);
