namespace LiveClassroom.Server.Auth;

/// <summary>One organisation as cached in memory: enough to answer scope questions without the database.</summary>
public sealed record OrganisationNode(Guid Id, Guid? ParentId, string Kind, string Name, bool IsRural);
