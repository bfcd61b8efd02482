namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A level (province, city, county) where the caller may propose an alliance.</summary>
public sealed record AllianceLevel(Guid Id, string Name, string Kind);
