using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Classroom;

/// <summary>
/// One principal in the class. <see cref="Tile"/> is its classroom's tile (null for observers); <see cref="PeerId"/> is
/// its SFU peer id once media is connected; <see cref="Publishes"/> the tracks it declared. <see cref="OnStage"/>: its
/// classroom holds a stage seat (a rural classroom's page is sent other classrooms' presence only then; docs/HUB.md).
/// </summary>
[GenerateSerializer, Immutable, Alias("lc.ParticipantView")]
public sealed record ParticipantView(
    string PrincipalId,
    string DisplayName,
    RoomRole Role,
    PrincipalKind Kind,
    string? ClassroomId,
    int? Tile,
    ConnectionState Connection,
    string? PeerId,
    PublishedTracks? Publishes,
    ParticipantStats? Stats,
    bool OnStage = false);
