namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>A member of an alliance with their role (chief, expert, core, member) and school.</summary>
public sealed record AllianceMemberView(Guid PersonId, string Name, string? SchoolName, string Role);
