using LiveClassroom.Grains.Ports;

namespace LiveClassroom.Grains.Classroom;

/// <summary>One participant's media link as the SFU measures it (<see cref="IClassroomGrain.GetLinksAsync"/>).</summary>
[GenerateSerializer, Immutable, Alias("lc.ParticipantLink")]
public sealed record ParticipantLink(string PrincipalId, RoomRole Role, string? ClassroomId, PeerMediaStats Media);
