namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>An organisation as anyone registering may see it: where it sits in the tree and its name.</summary>
public sealed record PublicOrganisation(Guid Id, Guid? ParentId, string Kind, string Name, bool IsRural);
