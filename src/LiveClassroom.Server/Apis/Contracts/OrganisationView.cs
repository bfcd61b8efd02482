namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>
/// One organisation in the caller's view of the tree. <see cref="AncestorOnly"/> marks organisations shown only
/// because something the caller sees is below them.
/// </summary>
public sealed record OrganisationView(
    Guid Id, Guid? ParentId, string Kind, string Name, bool IsRural, bool CanAdminister, bool AncestorOnly,
    IReadOnlyList<ClassroomSummary> Classrooms, IReadOnlyList<OrganisationView> Children);
