namespace LiveClassroom.Server.Research.Contracts;

/// <summary>PUT …/agenda: the whole agenda, replacing the planned one (only before the start).</summary>
public sealed record AgendaInput(IReadOnlyList<SegmentInput>? Segments);
