namespace LiveClassroom.Grains;

/// <summary>Kind names as stored in <c>grain_state.kind</c> and <c>room_leases.kind</c>.</summary>
public static class GrainKinds
{
    public const string Classroom = "classroom";
    public const string Pairing = "pairing";
    public const string Research = "research";
}
