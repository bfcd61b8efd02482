namespace LiveClassroom.Grains.Pairing;

/// <summary>
/// A physical classroom (<c>classrooms.id</c>) with its display name and its school's name (null in pairings stored
/// before schools were carried along): rural classrooms are often named alike, their schools tell them apart.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ClassroomRef")]
public sealed record ClassroomRef(string Id, string Name, string? SchoolName = null);
