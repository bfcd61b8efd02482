namespace LiveClassroom.Grains;

/// <summary>
/// Who is calling a grain. <paramref name="PrincipalId"/> is the person id or device id (the <c>sub</c> claim) —
/// participants are keyed by it, never by a connection id, so a reconnect resumes the same place.
/// <paramref name="ClassroomId"/> is the classroom the caller acts for (a device's own classroom, the classroom an
/// assistant teacher is paired through, the lead classroom for the lead); null for observers.
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.RoomCaller")]
public sealed record RoomCaller(
    string PrincipalId,
    string DisplayName,
    RoomRole Role,
    string? ClassroomId = null,
    PrincipalKind Kind = PrincipalKind.Person)
{
    /// <summary>The server acting on its own behalf (e.g. the pairing grain setting up a class).</summary>
    public static RoomCaller System { get; } = new("system", "system", RoomRole.System);
}
