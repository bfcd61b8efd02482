namespace LiveClassroom.Grains.Pairing;

/// <summary>A physical classroom (<c>classrooms.id</c>) with its display name.</summary>
public sealed record ClassroomRef(string Id, string Name);
