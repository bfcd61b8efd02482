namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>One problem of a teacher CSV: its line in the file (1 is the header; 0 the whole file), the column and a code.</summary>
public sealed record ImportProblem(int Line, string Field, string Code);
