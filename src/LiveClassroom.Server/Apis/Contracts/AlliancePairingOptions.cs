namespace LiveClassroom.Server.Apis.Contracts;

/// <summary>What the chief or an expert may pick from when scheduling a pairing: member schools' classrooms and the members who lead-teach.</summary>
public sealed record AlliancePairingOptions(IReadOnlyList<AllianceClassroomRef> Classrooms, IReadOnlyList<AllianceTeacherOption> Teachers);
