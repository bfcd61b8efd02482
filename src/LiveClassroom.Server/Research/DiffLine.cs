namespace LiveClassroom.Server.Research;

/// <summary>One line of a diff: <see cref="Op"/> is equal, insert or delete; line numbers are 1-based in their version.</summary>
public sealed record DiffLine(string Op, int? OldLine, int? NewLine, string Text);
