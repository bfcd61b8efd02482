namespace LiveClassroom.Server.Research;

/// <summary>Invites one person, or every teacher of one school; <see cref="Role"/> is participant or observer.</summary>
public sealed record InvitationRecord(Guid? PersonId, Guid? SchoolId, string Role);
