using LiveClassroom.Grains;
using LiveClassroom.Grains.Pairing;

namespace LiveClassroom.Server.Apis.Rooms;

/// <summary>
/// One lesson of <c>GET /api/me/lessons</c>: the lesson, the caller's role in it and its live class's state
/// (<c>NotOpened</c>, <c>Scheduled</c>, <c>Live</c>, <c>Ended</c>, or <c>Elsewhere</c> with the hosting node's URL).
/// <see cref="Lesson"/> is null when the whole pairing is hosted by another node: ask <see cref="OwnerUrl"/>.
/// </summary>
public sealed record MyLesson(
    string PairingId,
    string PairingName,
    RoomRole Role,
    string? ClassroomId,
    Lesson? Lesson,
    string ClassState,
    string? OwnerUrl);
