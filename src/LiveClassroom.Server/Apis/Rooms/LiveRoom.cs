using LiveClassroom.Grains.Classroom;
using LiveClassroom.Grains.Pairing;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>One class live now (<c>GET /api/rooms/live</c>): its classrooms and each connected participant's link quality.</summary>
public sealed record LiveRoom(
    string? ClassId,
    string PairingId,
    string PairingName,
    string? Title,
    DateTimeOffset? OpenedAt,
    IReadOnlyList<LiveRoomClassroom> Classrooms,
    IReadOnlyList<ParticipantView> Participants,
    string? OwnerUrl)
{
    public static LiveRoom From(PairingListing pairing, ClassSnapshot s) => new(
        s.ClassId, pairing.PairingId, pairing.Name, s.Title, s.OpenedAt,
        [.. s.Classrooms.Select(c => new LiveRoomClassroom(c.ClassroomId, c.Name, c.SchoolName, c.IsLead, c.Present, c.StageSeat, c.MutedByLead))],
        [.. s.Participants.Where(p => p.Connection != ConnectionState.Left)],
        null);

    /// <summary>The room as an admin who sees only <paramref name="classrooms"/> gets it (a rural school's admin: its own classrooms).</summary>
    public LiveRoom Only(IReadOnlySet<string> classrooms) => this with
    {
        Classrooms = [.. Classrooms.Where(c => classrooms.Contains(c.ClassroomId))],
        Participants = [.. Participants.Where(p => p.ClassroomId is { } id && classrooms.Contains(id))],
    };

    /// <summary>A class (or, without a lesson, a whole pairing) hosted by another node: only its ids, plus where to ask.</summary>
    public static LiveRoom Elsewhere(PairingListing pairing, Lesson? lesson, string ownerUrl) =>
        new(lesson?.ClassId, pairing.PairingId, pairing.Name, null, null, [], [], ownerUrl);
}
