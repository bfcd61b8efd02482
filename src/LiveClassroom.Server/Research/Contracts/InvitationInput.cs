namespace LiveClassroom.Server.Research.Contracts;

/// <summary>Exactly one of <see cref="PersonId"/> and <see cref="SchoolId"/>; role participant (default) or observer.</summary>
public sealed record InvitationInput(Guid? PersonId, Guid? SchoolId, string? Role);
