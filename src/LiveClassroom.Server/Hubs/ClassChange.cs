namespace LiveClassroom.Server.Hubs;

/// <summary>
/// One class opened (<see cref="Opened"/>) or ended: its classrooms (devices waiting in them are told it opened) and
/// every organisation whose admins see it live (its schools and all above them).
/// </summary>
public sealed record ClassChange(string ClassId, bool Opened, IReadOnlyList<string> ClassroomIds, IReadOnlyList<Guid> OrganisationIds);
