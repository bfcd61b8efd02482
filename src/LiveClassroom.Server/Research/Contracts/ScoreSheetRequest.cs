namespace LiveClassroom.Server.Research.Contracts;

/// <summary>An autosave: the criteria it names are saved, the others keep their saved scores.</summary>
public sealed record ScoreSheetRequest(IReadOnlyDictionary<string, double>? Scores);
