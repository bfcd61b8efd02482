// RFC 5576 §4.1: a=ssrc:<ssrc-id> <attribute>[:<value>].
namespace LiveClassroom.Media.Sdp;

internal sealed record SdpSsrc(uint Ssrc, string Attribute, string? Value);
